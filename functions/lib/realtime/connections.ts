// The live WebSocket connections, one document per connection: who it belongs to and which device
// it serves. API Gateway closes a connection after 2 hours at the latest, so a document older than
// that describes a dead connection whatever happened to its `$disconnect`: the TTL index drops it.
import type { Db } from 'mongodb';

export const CONNECTIONS_COLLECTION = 'wsConnections';
/** API Gateway's maximum WebSocket connection duration. */
export const CONNECTION_MAX_AGE_SECONDS = 2 * 60 * 60;

export interface ConnectionDoc {
  /** API Gateway's `requestContext.connectionId`. */
  _id: string;
  userId: string;
  /** Absent when the ticket named no device: such a connection is poked for every write. */
  deviceId?: string;
  /** The session whose ticket opened it: revoking that session closes the connection. */
  sessionId?: string;
  connectedAt: Date;
}

export const connections = (db: Db) => db.collection<ConnectionDoc>(CONNECTIONS_COLLECTION);

export async function saveConnection(
  db: Db,
  conn: {
    connectionId: string;
    userId: string;
    deviceId?: string | undefined;
    sessionId?: string | undefined;
  },
  now = new Date(),
): Promise<void> {
  const doc: ConnectionDoc = { _id: conn.connectionId, userId: conn.userId, connectedAt: now };
  if (conn.deviceId) doc.deviceId = conn.deviceId;
  if (conn.sessionId) doc.sessionId = conn.sessionId;
  // A retried `$connect` for the same id replaces, never duplicates.
  await connections(db).replaceOne({ _id: conn.connectionId }, doc, { upsert: true });
}

export async function removeConnection(db: Db, connectionId: string): Promise<void> {
  await connections(db).deleteOne({ _id: connectionId });
}

export function findConnection(db: Db, connectionId: string): Promise<ConnectionDoc | null> {
  return connections(db).findOne({ _id: connectionId });
}

/** The ids of the user's connections except those of the device that made the change. */
export async function pokeTargets(db: Db, userId: string, sourceDeviceId: string): Promise<string[]> {
  // Only the ids (by the `user` index): a fan-out reads one small document per connected device.
  const docs = await connections(db)
    .find({ userId, deviceId: { $ne: sourceDeviceId } }, { projection: { _id: 1 } })
    .toArray();
  return docs.map((d) => d._id);
}

/**
 * Drops connections the Management API called gone. A connection younger than `graceMs` is kept:
 * between its `$connect` handler storing it and API Gateway finishing the handshake, a post to it
 * is refused as well, and dropping it then would silence a live socket until it reconnects.
 */
export async function removeGone(db: Db, ids: readonly string[], graceMs: number, now = new Date()) {
  if (ids.length === 0) return 0;
  const before = new Date(now.getTime() - graceMs);
  const result = await connections(db).deleteMany({ _id: { $in: [...ids] }, connectedAt: { $lt: before } });
  return result.deletedCount;
}

/** Registered in functions/lib/indexes.ts. */
export async function ensureRealtimeIndexes(db: Db): Promise<void> {
  await connections(db).createIndex(
    { connectedAt: 1 },
    { expireAfterSeconds: CONNECTION_MAX_AGE_SECONDS, name: 'max_age_ttl' },
  );
  await connections(db).createIndex({ userId: 1 }, { name: 'user' });
}
