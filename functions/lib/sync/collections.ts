// Names of the MongoDB collections the sync backend owns, and the document shapes stored in them.
// The four synced collections keep the wire names so that a pull answers `{changes: {tasks: …}}`
// straight from the collection it read.
import type { Db } from 'mongodb';
import { COLLECTIONS, type CollectionName } from '../../../core/records.ts';

export const SYNCED_COLLECTIONS = COLLECTIONS;
export type SyncedCollection = CollectionName;

export const SYNC_META_COLLECTIONS = {
  /** One document per user: the last version handed out, and a floor below which all committed. */
  versions: 'syncVersions',
  /** One document per version handed out: written by the transaction that used it, or sealed. */
  commits: 'syncCommits',
  /** One document per device: its lastMutationId, apart from the SyncState other devices flag. */
  mutationIds: 'syncMutationIds',
  /** One document per device (`SyncState`, docs/rules.md). */
  syncState: 'syncState',
  /** Mutations rejected for good, with their reason, so a replay can answer the same. */
  rejected: 'rejectedMutations',
} as const;

export function isSyncedCollection(name: string): name is SyncedCollection {
  return (SYNCED_COLLECTIONS as readonly string[]).includes(name);
}

/** A synced record as stored: the wire record plus the owner and the version that last changed it. */
export interface StoredRecord {
  _id?: unknown;
  userId: string;
  id: string;
  hlc: string;
  deleted?: boolean;
  _v: number;
  [field: string]: unknown;
}

export interface VersionDoc {
  _id: string;
  /** The last version handed out (allocated; its transaction may still be running). */
  version: number;
  /** Every version up to this one is committed or sealed (a pull's earlier finding, kept). */
  stable?: number;
  /** When the last version was handed out. */
  at?: Date;
}

export interface CommitDoc {
  /** `${userId}:${v}`: a deterministic key, so the writer and a sealer collide on one document. */
  _id: string;
  userId: string;
  v: number;
  at: Date;
  /** Closed without a committed write (its writer failed, died or was too slow). */
  sealed?: true;
}

export interface MutationIdDoc {
  _id: string;
  userId: string;
  lastMutationId: number;
}

export interface SyncStateDoc {
  userId: string;
  deviceId: string;
  /** The original polling design's flag: another device changed something this device has not pulled yet. */
  needsUpdate: boolean;
  /** Collections changed by other devices since this device last caught up. */
  collections: SyncedCollection[];
  lastSync: Date | null;
  /** Highest version this device said it has (mark-synced). */
  syncedVersion: number;
  /** Highest version whose change flagged this device; needsUpdate may only clear at or above it. */
  notifiedVersion: number;
  /** Version the device was told about by its last check-update (mark-synced without a version). */
  checkedVersion: number;
  lastMutationId: number;
  lastSeen: Date;
  createdAt: Date;
}

export interface RejectedMutationDoc {
  userId: string;
  deviceId: string;
  mutationId: number;
  name: string;
  error: { code: string; message: string };
  at: Date;
}

export function syncStateCollection(db: Db) {
  return db.collection<SyncStateDoc>(SYNC_META_COLLECTIONS.syncState);
}

export function versionsCollection(db: Db) {
  return db.collection<VersionDoc>(SYNC_META_COLLECTIONS.versions);
}

export function commitsCollection(db: Db) {
  return db.collection<CommitDoc>(SYNC_META_COLLECTIONS.commits);
}

export function mutationIdsCollection(db: Db) {
  return db.collection<MutationIdDoc>(SYNC_META_COLLECTIONS.mutationIds);
}

export function rejectedCollection(db: Db) {
  return db.collection<RejectedMutationDoc>(SYNC_META_COLLECTIONS.rejected);
}

export function recordsCollection(db: Db, name: SyncedCollection) {
  return db.collection<StoredRecord>(name);
}
