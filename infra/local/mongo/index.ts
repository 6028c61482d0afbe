// Public API of the embedded MongoDB-compatible development/test server. Nothing outside this
// directory should import anything else from it.
import { runServer } from './server.ts';

export interface MongoServerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Directory for the journal and snapshots; undefined keeps everything in memory. */
  dbPath?: string;
  log?: (line: string) => void;
  /** Journal size that triggers compaction into a snapshot (default 64 MiB); small values are for tests. */
  compactJournalBytes?: number;
  /** MongoDB's transactionLifetimeLimitSeconds (default 60; also settable with `setParameter`). */
  transactionLifetimeLimitSeconds?: number;
}

export interface MongoServerHandle {
  /** Connection string for the official driver and mongosh. */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the server. The URI uses `directConnection=true`: the server reports itself as the
 * primary of the one-node replica set `rs0`, so sessions, retryable writes and transactions work,
 * while the driver never tries to discover other hosts (robust to localhost vs 127.0.0.1).
 */
export async function startMongoServer(options: MongoServerOptions = {}): Promise<MongoServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const server = await runServer({
    port: options.port ?? 0,
    host,
    dbPath: options.dbPath,
    log: options.log ?? (() => undefined),
    compactJournalBytes: options.compactJournalBytes,
    transactionLifetimeLimitSeconds: options.transactionLifetimeLimitSeconds,
  });
  const uriHost = host.includes(':') ? `[${host}]` : host;
  return {
    uri: `mongodb://${uriHost}:${server.port}/?directConnection=true`,
    port: server.port,
    stop: () => server.stop(),
  };
}
