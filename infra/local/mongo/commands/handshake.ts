// Handshake and server-information commands. The server presents itself as the primary of a
// one-node replica set (never with `topologyVersion`, which would switch the driver to streaming
// monitoring) so that sessions, retryable writes and transactions behave as on Atlas.
import { type Document, Long, Timestamp } from 'bson';
import { serverError } from '../errors.ts';
import type { CommandContext, CommandHandler } from './context.ts';

export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const SERVER_VERSION = '7.0.0';
/** mongod's default `net.maxIncomingConnections`; the embedded server sets no lower limit. */
export const MAX_INCOMING_CONNECTIONS = 65_536;

export function helloReply(ctx: CommandContext, legacy: boolean): Document {
  const me = `${ctx.info.host}:${ctx.info.port}`;
  const opTime = { ts: new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 }), t: Long.fromNumber(1) };
  const reply: Document = {
    helloOk: true,
    isWritablePrimary: true,
    ...(legacy ? { ismaster: true } : {}),
    setName: ctx.info.setName,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ctx.info.electionId,
    lastWrite: { opTime, lastWriteDate: new Date(), majorityOpTime: opTime, majorityWriteDate: new Date() },
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
  };
  if (legacy) delete reply.isWritablePrimary;
  return reply;
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['embedded'],
  modules: [],
  allocator: 'system',
  javascriptEngine: 'none',
  sysInfo: 'embedded routine-sync development server',
  openssl: { running: 'disabled', compiled: 'disabled' },
  buildEnvironment: {},
});

const getParameter: CommandHandler = (ctx) => {
  const known: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: ctx.sessions.transactionLifetimeLimitSeconds,
    authenticationMechanisms: [],
    maxTransactionLockRequestTimeoutMillis: 5,
  };
  if (ctx.body.getParameter === '*' || ctx.body.allParameters) return known;
  const out: Document = {};
  for (const key of Object.keys(ctx.body)) if (key in known) out[key] = known[key];
  return out;
};

/** `setParameter` for the one parameter this server honours; any other is refused, not ignored. */
const setParameter: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin')
    throw serverError('Unauthorized', 'setParameter may only be run against the admin database.');
  const names = Object.keys(ctx.body).filter(
    (key) => key !== 'setParameter' && !key.startsWith('$') && key !== 'lsid',
  );
  const unsupported = names.filter((name) => name !== 'transactionLifetimeLimitSeconds');
  if (unsupported.length > 0 || names.length === 0) {
    throw serverError(
      'NotImplemented',
      `setParameter supports only transactionLifetimeLimitSeconds on the embedded server`,
    );
  }
  const seconds = Number(ctx.body.transactionLifetimeLimitSeconds);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw serverError('BadValue', 'transactionLifetimeLimitSeconds must be an integer of at least 1');
  }
  const was = ctx.sessions.transactionLifetimeLimitSeconds;
  ctx.sessions.transactionLifetimeLimitSeconds = seconds;
  return { was };
};

const empty: CommandHandler = () => ({});

/** MongoDB's `mem` section (MiB) plus the JS heap figures the benchmark compares with data size. */
function memory(): Document {
  // A server started with --expose-gc (the benchmark does) reports memory after a full collection.
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return {
    bits: 64,
    resident: Math.round(usage.rss / 2 ** 20),
    virtual: 0,
    residentBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    arrayBuffersBytes: usage.arrayBuffers,
    externalBytes: usage.external,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: (ctx) => helloReply(ctx, false),
  ismaster: (ctx) => helloReply(ctx, true),
  ping: empty,
  buildinfo: buildInfo,
  getparameter: getParameter,
  setparameter: setParameter,
  getcmdlineopts: () => ({ argv: ['embedded'], parsed: {} }),
  hostinfo: () => ({ system: { currentTime: new Date(), hostname: 'localhost' }, os: {}, extra: {} }),
  getlog: (ctx) =>
    ctx.body.getLog === '*' ? { names: ['startupWarnings'] } : { totalLinesWritten: 0, log: [] },
  whatsmyuri: (ctx) => ({ you: `127.0.0.1:${ctx.connectionId}` }),
  connectionstatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } }),
  serverstatus: (ctx) => ({
    host: `${ctx.info.host}:${ctx.info.port}`,
    version: SERVER_VERSION,
    process: 'mongod',
    uptime: (Date.now() - ctx.info.startedAt.getTime()) / 1000,
    localTime: new Date(),
    mem: memory(),
    connections: {
      current: ctx.connections.current,
      available: MAX_INCOMING_CONNECTIONS - ctx.connections.current,
      totalCreated: ctx.connections.totalCreated,
      active: ctx.connections.active,
    },
    metrics: { queryExecutor: { ...ctx.engine.queryStats } },
  }),
  // Every acknowledged write is already in the journal; like mongod's, this writes the data files
  // (here: compaction into a snapshot) and answers when they are synced. Benchmarks use it to
  // measure reads without a compaction running beside them.
  fsync: async (ctx) => {
    if (ctx.body.lock)
      throw serverError('NotImplemented', 'fsync with lock is not supported by the embedded server');
    await ctx.flushToDisk();
    return { numFiles: 1 };
  },
  replsetgetstatus: (ctx) => ({
    set: ctx.info.setName,
    myState: 1,
    members: [
      { _id: 0, name: `${ctx.info.host}:${ctx.info.port}`, health: 1, state: 1, stateStr: 'PRIMARY' },
    ],
  }),
  features: () => ({ js: false, oidMachine: 0 }),
  listcommands: () => ({ commands: {} }),
  logout: empty,
  saslstart: () => {
    throw serverError(
      'NotImplemented',
      'authentication is not supported by the embedded server: connect without credentials',
    );
  },
};
