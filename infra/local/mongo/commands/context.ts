// What every command handler receives. Handlers return the reply body (without `ok`, added by the
// dispatcher) or throw a MongoServerError.
import type { Document } from 'bson';
import type { CursorRegistry } from '../query/cursors.ts';
import type { DataAccess } from '../query/data-access.ts';
import type { Engine } from '../storage/engine.ts';
import type { Session, SessionRegistry } from '../txn/sessions.ts';

export interface ServerInfo {
  host: string;
  port: number;
  setName: string;
  startedAt: Date;
  electionId: unknown;
}

/**
 * serverStatus `connections`, MongoDB's names: open client connections, all ever accepted, and
 * those with a command in progress.
 */
export interface ConnectionCounts {
  current: number;
  totalCreated: number;
  active: number;
}

export interface CommandContext {
  db: string;
  body: Document;
  access: DataAccess;
  engine: Engine;
  sessions: SessionRegistry;
  cursors: CursorRegistry;
  session: Session | undefined;
  info: ServerInfo;
  connectionId: number;
  connections: ConnectionCounts;
  /** Writes the data set to its snapshot file (the `fsync` command); a no-op in memory. */
  flushToDisk(): Promise<void>;
}

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

export function ns(ctx: CommandContext, collection: unknown): string {
  return `${ctx.db}.${String(collection)}`;
}

export function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}
