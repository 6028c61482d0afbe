// The TCP server: accepts connections, routes each command to the dispatcher with the shared
// engine, sessions and cursors, and runs the periodic sweeps (TTL, idle transactions, cursors).
import { createServer, type Server, type Socket } from 'node:net';
import { type Document, ObjectId } from 'bson';
import type { BaseContext } from './commands/dispatch.ts';
import { runCommand } from './commands/dispatch.ts';
import { CursorRegistry } from './query/cursors.ts';
import { Engine } from './storage/engine.ts';
import { openStore, type Store } from './storage/persistence.ts';
import { sweepTtl } from './storage/ttl.ts';
import { SessionRegistry } from './txn/sessions.ts';
import { Connection } from './wire/connection.ts';
import type { IncomingCommand } from './wire/messages.ts';

export interface ServerOptions {
  port: number;
  host: string;
  dbPath: string | undefined;
  log: (line: string) => void;
  sweepIntervalMs?: number;
  compactJournalBytes?: number | undefined;
  transactionLifetimeLimitSeconds?: number | undefined;
}

export interface RunningServer {
  port: number;
  host: string;
  stop(): Promise<void>;
}

const SET_NAME = 'rs0';

export async function runServer(options: ServerOptions): Promise<RunningServer> {
  const engine = new Engine();
  const store: Store | undefined = options.dbPath
    ? await openStore(engine, options.dbPath, options.log, options.compactJournalBytes)
    : undefined;
  const server = createServer();
  const port = await listen(server, options.port, options.host).catch(async (err: unknown) => {
    await store?.close();
    throw err;
  });
  const durable = store ? () => store.durable() : () => Promise.resolve();
  const sessions = new SessionRegistry(engine);
  if (options.transactionLifetimeLimitSeconds) {
    sessions.transactionLifetimeLimitSeconds = options.transactionLifetimeLimitSeconds;
  }
  const shared: Omit<BaseContext, 'connectionId'> = {
    engine,
    sessions,
    cursors: new CursorRegistry(),
    info: { host: options.host, port, setName: SET_NAME, startedAt: new Date(), electionId: new ObjectId() },
    connections: { current: 0, totalCreated: 0, active: 0 },
    flushToDisk: () => store?.compact() ?? Promise.resolve(),
  };
  const sockets = acceptConnections(server, shared, durable, options.log);
  const sweep = setInterval(() => {
    shared.sessions.sweep();
    shared.cursors.sweep();
    void sweepTtl(engine, durable).catch((err: unknown) => options.log(`TTL sweep failed: ${String(err)}`));
    void store?.maybeCompact().catch((err: unknown) => options.log(`compaction failed: ${String(err)}`));
  }, options.sweepIntervalMs ?? 1_000);
  sweep.unref();

  return {
    port,
    host: options.host,
    async stop() {
      clearInterval(sweep);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store?.close();
    },
  };
}

/** Serves every connection with the shared state; returns the live sockets (for stop). */
function acceptConnections(
  server: Server,
  shared: Omit<BaseContext, 'connectionId'>,
  durable: () => Promise<void>,
  log: (line: string) => void,
): Set<Socket> {
  const sockets = new Set<Socket>();
  const counts = shared.connections;
  server.on('connection', (socket) => {
    sockets.add(socket);
    counts.current += 1;
    counts.totalCreated += 1;
    socket.on('close', () => {
      sockets.delete(socket);
      counts.current -= 1;
    });
    const base: BaseContext = { ...shared, connectionId: counts.totalCreated };
    let inFlight = 0;
    const run = async (command: IncomingCommand): Promise<Document> => {
      if (inFlight++ === 0) counts.active += 1;
      try {
        return await runCommand(base, command.body, databaseOf(command), durable);
      } finally {
        if (--inFlight === 0) counts.active -= 1;
      }
    };
    new Connection(socket, run, log);
  });
  return sockets;
}

function databaseOf(command: IncomingCommand): string {
  const db = command.body.$db;
  if (typeof db === 'string') return db;
  return command.fullCollectionName?.split('.')[0] ?? 'admin';
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
