// `npm start`: the whole app on one machine, in one process.
//
//   port probed (fails fast if taken)
//     ├─ database: embedded server on DATA_DIR/db ─┐   (or MONGODB_URI, checked within 10 s)
//     └─ web build (web/build.ts, when present) ───┤   in parallel
//   indexes ensured ◄──────────────────────────────┘
//   gateway listens, WebSocket API attached, "running at http://localhost:PORT"
//   SIGINT/SIGTERM → close everything in reverse order, exit 0
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { TRANSACTION_LIFETIME_LIMIT_SECONDS } from '../transaction-lifetime.ts';
import { createLocalGateway, type LocalGateway, REPO_ROOT } from './gateway.ts';
import { LOCAL_CREDENTIALS_FILE, localCredentialsFor } from './local-credentials.ts';
import { startMongoServer } from './mongo/index.ts';
import { type LocalRuntime, RuntimeModeError, runtimeFromEnv } from './runtime-mode.ts';

class StartError extends Error {
  override readonly name = 'StartError';
}

interface StartConfig {
  port: number;
  host: string;
  dataDir: string;
  mongoUri: string | undefined;
  mongoPort: number;
  webOutDir: string;
  runtime: LocalRuntime;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

const log = (message: string) => console.log(`[start] ${message}`);

function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new StartError(`${name} must be a port number, got "${value}"`);
  return port;
}

function runtimeOf(argv: readonly string[], env: NodeJS.ProcessEnv): LocalRuntime {
  if (argv.includes('--containers')) return 'containers';
  try {
    return runtimeFromEnv(env);
  } catch (err) {
    throw new StartError((err as Error).message);
  }
}

function readConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): StartConfig {
  return {
    runtime: runtimeOf(argv, env),
    port: portFrom(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || join(REPO_ROOT, '.data')),
    mongoUri: env.MONGODB_URI || undefined,
    mongoPort: portFrom(env.MONGO_PORT, 0, 'MONGO_PORT'),
    webOutDir: resolve(env.WEB_DIST_DIR || join(REPO_ROOT, 'web/dist')),
  };
}

/** The URI without its password, for messages. */
function redact(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function listenError(err: unknown, config: StartConfig): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    const next = `PORT=${config.port + 1} npm start`;
    return new StartError(
      `Port ${config.port} is already in use. Stop what is using it, or pick another: ${next}`,
    );
  }
  if (code === 'EACCES')
    return new StartError(`Not allowed to listen on port ${config.port}; pick another with PORT=…`);
  return err as Error;
}

/** Fails fast on a taken port, before the slower start-up work. */
async function probePort(config: StartConfig): Promise<void> {
  const probe = createServer();
  await new Promise<void>((done, fail) => {
    probe.once('error', (err) => fail(listenError(err, config)));
    probe.listen(config.port, config.host, () => done());
  });
  await new Promise<void>((done) => probe.close(() => done()));
}

async function listen(config: StartConfig): Promise<LocalGateway> {
  await mkdir(config.dataDir, { recursive: true });
  const credentials = await localCredentialsFor(config.dataDir);
  try {
    return await createLocalGateway({
      port: config.port,
      host: config.host,
      webRoot: config.webOutDir,
      credentials,
      runtime: config.runtime,
    });
  } catch (err) {
    if (err instanceof RuntimeModeError) throw new StartError(err.message, { cause: err });
    throw listenError(err, config);
  }
}

async function startDatabase(config: StartConfig): Promise<{ uri: string; server?: Stoppable }> {
  if (config.mongoUri) return { uri: config.mongoUri };
  const dbPath = join(config.dataDir, 'db');
  await mkdir(dbPath, { recursive: true });
  const server = await startMongoServer({
    port: config.mongoPort,
    host: '127.0.0.1',
    dbPath,
    transactionLifetimeLimitSeconds: TRANSACTION_LIFETIME_LIMIT_SECONDS,
  });
  log(`embedded MongoDB on ${server.uri} (data in ${dbPath})`);
  return { uri: server.uri, server };
}

// How long start-up waits for the database before giving up with a clear message (the driver's own
// server-selection timeout is longer, and a newcomer should not stare at a silent terminal).
const DB_CHECK_TIMEOUT_MS = 4_000;

/** Connects through the same cached client the handlers use, then ensures the indexes. */
async function connectAndIndex(uri: string): Promise<void> {
  process.env.MONGODB_URI = uri;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`no answer within ${DB_CHECK_TIMEOUT_MS / 1000} s`)),
      DB_CHECK_TIMEOUT_MS,
    );
  });
  try {
    const db = await Promise.race([getDb(), deadline]);
    await ensureIndexes(db);
  } catch (err) {
    throw new StartError(`Cannot reach MongoDB at ${redact(uri)}: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

async function buildWebIfPresent(outDir: string): Promise<void> {
  const entry = join(REPO_ROOT, 'web/build.ts');
  if (!existsSync(entry)) {
    log('web/build.ts does not exist yet: serving the API only');
    return;
  }
  const started = performance.now();
  const { buildWeb } = (await import(pathToFileURL(entry).href)) as {
    buildWeb(opts?: { outDir?: string }): Promise<unknown>;
  };
  await buildWeb({ outDir });
  log(`built the web app into ${outDir} in ${Math.round(performance.now() - started)} ms`);
}

/** The WebSocket API emulation attaches itself to the gateway's server when its module exists. */
type AttachedWebSocketApi = Stoppable & { url?: string };

async function attachWebSocketApi(gateway: LocalGateway): Promise<AttachedWebSocketApi | undefined> {
  const entry = join(REPO_ROOT, 'infra/local/websocket-api.ts');
  if (!existsSync(entry)) return undefined;
  const mod = (await import(pathToFileURL(entry).href)) as {
    attachWebSocketApi(gateway: LocalGateway): Promise<AttachedWebSocketApi> | AttachedWebSocketApi;
  };
  return mod.attachWebSocketApi(gateway);
}

// A terminal's Ctrl-C reaches npm, tsx and node alike, and tsx relays it once more: repeated signals
// are expected and ignored; a shutdown that hangs is cut short instead.
function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: shutting down`);
      setTimeout(() => {
        console.error('[start] shutdown took over 5 s; exiting anyway');
        process.exit(1);
      }, 5_000).unref();
      stop().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

// A handler's stray promise or timer must not take the whole local app down; on Lambda it would
// only cost that one container.
function keepServingOnStrayErrors(): void {
  const report = (kind: string) => (err: unknown) =>
    console.error(
      JSON.stringify({ level: 'error', kind, error: err instanceof Error ? err.stack : String(err) }),
    );
  process.on('unhandledRejection', report('unhandledRejection'));
  process.on('uncaughtException', report('uncaughtException'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readConfig(process.env, process.argv.slice(2));
  await probePort(config);
  const stoppables: Stoppable[] = [];
  onShutdown(async () => {
    // Reverse start order: WebSocket API, gateway, the handlers' client, then the database itself.
    for (const s of stoppables.reverse()) await s.stop();
  });
  keepServingOnStrayErrors();
  const database = startDatabase(config).then(async (db) => {
    if (db.server) stoppables.push(db.server);
    stoppables.push({ stop: closeMongoClient });
    await connectAndIndex(db.uri);
  });
  await Promise.all([database, buildWebIfPresent(config.webOutDir)]);
  // Listening last: once /api/health answers, the database, indexes and web app are all ready.
  if (config.runtime === 'containers')
    log(
      'container runtime: bundling the functions and reading the stack template (the first synth takes a while)',
    );
  const gateway = await listen(config);
  if (config.runtime === 'containers')
    log('functions run in containers from the bundle (LOCAL_RUNTIME=containers)');
  stoppables.push({ stop: () => gateway.close() });
  const ws = await attachWebSocketApi(gateway);
  if (ws) stoppables.push(ws);
  if (ws?.url) log(`WebSocket API at ${ws.url}`);
  const shown = config.host === '127.0.0.1' ? `http://localhost:${gateway.port}` : gateway.url;
  log(`Lambda Invoke API at ${gateway.url} (LAMBDA_ENDPOINT), SigV4 only, with the local credentials`);
  log(
    `  AWS_ACCESS_KEY_ID=${gateway.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${gateway.credentials.secretAccessKey}` +
      ` (kept in ${join(config.dataDir, LOCAL_CREDENTIALS_FILE)})`,
  );
  log(`ready in ${Math.round(performance.now() - started)} ms`);
  console.log(`\n  routine-sync is running at ${shown}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof StartError) console.error(`\n[start] ${err.message}\n`);
  else console.error('[start] failed:', err);
  process.exit(1);
});
