// The per-user version: handed out before the write transaction, closed by it.
//
//   allocate: $inc the user's counter (outside any transaction: one atomic write, held by nobody)
//   the write transaction stamps its records with v and inserts the commit marker {_id: user:v}
//   a writer that gives up seals v itself: the same marker, `sealed`, outside the transaction
//
// Versions can therefore commit out of order (v + 1 before v). A pull must never pass a version still
// in flight, or the records stamped with it would land below a watermark some device has already
// passed. The committed version (a pull's upper bound) is the end of the run of closed versions
// above `stable`: every version up to it has a marker, so its transaction committed (the marker and
// the records commit together) or it was sealed and never will (the sealed marker and the writer's
// marker are one document: whichever is inserted second fails, so a sealed version's transaction
// cannot commit, and a committed one cannot be sealed). A hole older than SEAL_AFTER_MS is sealed by
// the reader: its writer died or is stuck. Sealing early is never wrong, only wasteful (the writer
// retries with a new version), so the clocks that judge "older" only affect liveness.
import type { ClientSession, Db } from 'mongodb';
import { type CommitDoc, commitsCollection, versionsCollection } from './collections.ts';
import { isDuplicateKey } from './devices.ts';

/** Far beyond a healthy transaction (milliseconds) and the functions' timeout (10 s). */
export const SEAL_AFTER_MS = 30_000;

/** `stable` trails the committed version by fewer than this many markers, each read on every pull. */
export const STABLE_STEP = 16;

/** A fresh version for one write transaction; it must end with markCommitted or sealVersion. */
export async function allocateVersion(db: Db, userId: string, now = new Date()): Promise<number> {
  const version = { $ifNull: ['$version', 0] };
  const doc = await versionsCollection(db).findOneAndUpdate(
    { _id: userId },
    // A counter from before the markers existed has no `stable`: everything it counted committed
    // (writes serialized on it then), so its current value becomes the floor.
    [{ $set: { stable: { $ifNull: ['$stable', version] }, version: { $add: [version, 1] }, at: now } }],
    { upsert: true, returnDocument: 'after' },
  );
  if (!doc) throw new Error('Version upsert returned no document');
  return doc.version;
}

/**
 * The last version handed out, for an answer that changed nothing (a replay, a rejection): the device
 * waits for a pull to reach it, which it does once the versions before it are closed.
 */
export async function latestVersion(db: Db, userId: string, session?: ClientSession): Promise<number> {
  const doc = await versionsCollection(db).findOne({ _id: userId }, session ? { session } : {});
  return doc?.version ?? 0;
}

function marker(userId: string, v: number, at: Date, sealed: boolean): CommitDoc {
  return { _id: `${userId}:${v}`, userId, v, at, ...(sealed ? { sealed: true as const } : {}) };
}

/** Inside the write transaction: v is committed with it. A duplicate key means v was sealed. */
export async function markCommitted(
  db: Db,
  userId: string,
  v: number,
  session: ClientSession,
): Promise<void> {
  await commitsCollection(db).insertOne(marker(userId, v, new Date(), false), { session });
}

/** Closes v without a write; false when it was closed already (committed, or sealed by another). */
export async function sealVersion(db: Db, userId: string, v: number, now = new Date()): Promise<boolean> {
  try {
    await commitsCollection(db).insertOne(marker(userId, v, now, true));
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * The user's committed version: every version up to it is committed or sealed, so a pull bounded by
 * it never misses a change that commits later.
 */
export async function readVersion(db: Db, userId: string, nowMs = Date.now()): Promise<number> {
  const doc = await versionsCollection(db).findOne({ _id: userId });
  if (!doc) return 0;
  // No `stable`: a counter not used since before the markers, whose versions all committed.
  const floor = doc.stable ?? doc.version;
  if (floor >= doc.version) return doc.version;
  // Past STABLE_STEP unread markers (a device that pulls rarely after many writes), counting them (one
  // index span, counted on the server) says whether any is missing without reading each: 200 writes,
  // 13 → 7 ms measured. Markers are unique per version, so a full count means no hole. Below it the
  // few markers are read as they are: a count is an aggregation, dearer than a small find.
  const many = doc.version - floor > STABLE_STEP;
  const full =
    many &&
    (await commitsCollection(db).countDocuments({ userId, v: { $gt: floor, $lte: doc.version } })) ===
      doc.version - floor;
  const bound = full ? doc.version : await closedRunEnd(db, userId, floor, doc, nowMs);
  // Kept so that later reads start from here; markers below it are never read again (TTL). Moved
  // in steps: a write on every read after a change cost each pull a durable write, to spare
  // reading a few more small markers.
  if (bound - floor >= STABLE_STEP) {
    await versionsCollection(db).updateOne({ _id: userId }, { $max: { stable: bound } });
  }
  return bound;
}

/** The end of the run of closed versions above `floor`, sealing holes older than SEAL_AFTER_MS. */
async function closedRunEnd(
  db: Db,
  userId: string,
  floor: number,
  doc: { version: number; at?: Date },
  nowMs: number,
): Promise<number> {
  const closed = await commitsCollection(db)
    .find({ userId, v: { $gt: floor, $lte: doc.version } }, { projection: { v: 1, at: 1 } })
    .sort({ v: 1 })
    .toArray();
  let bound = floor;
  for (let i = 0; bound < doc.version; ) {
    const next = closed[i];
    if (next?.v === bound + 1) {
      bound += 1;
      i += 1;
      continue;
    }
    // A hole: v was handed out no later than the next closed version (or the last one handed out).
    const allocatedBy = next?.at ?? doc.at;
    if (!allocatedBy || nowMs - allocatedBy.getTime() < SEAL_AFTER_MS) break;
    await sealVersion(db, userId, bound + 1, new Date(nowMs)); // lost to its writer: committed, closed too
    bound += 1;
  }
  return bound;
}
