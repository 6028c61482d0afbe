// Pokes that carry a commit's records. A device whose every collection stands at the poke's
// `fromVersion` applies them instead of pulling; any other (a gap, a reset, a poke without records,
// one that arrived out of order) pulls. Versions commit out of order on the server, so a poke can
// come before the one it follows: both are kept until the device reaches them or passes them.
//
// "Behind" (pull, whatever the streams say) is any version announced above where the device stands:
// by a poke, a heartbeat, or the device's own acknowledged push. A pull that stays below it (a
// version still in flight) is retried a few times, after which the announcement is dropped: the
// next poke or heartbeat tells again.
import { COLLECTIONS, type CollectionVersions, type RecordsByCollection } from '../../../core/records.ts';
import type { Poke } from './sync-types.ts';

export interface StreamedRecords {
  fromVersion: number;
  toVersion: number;
  changes: Partial<RecordsByCollection>;
}

/** Pokes held for later (arrived before the one they follow); older ones are dropped first. */
const MAX_HELD = 32;
/** Pulls that may stay below an announced version before it is dropped. */
export const BEHIND_RETRIES = 5;

export interface StreamedPokes {
  note(poke: Poke): void;
  announce(version: number): void;
  /** The records that continue exactly where every collection stands, if a poke brought them. */
  next(versions: CollectionVersions): StreamedRecords | undefined;
  isBehind(versions: CollectionVersions): boolean;
  /** A pull answered `version`: true while still behind and worth another try later. */
  pulled(version: number): boolean;
  reset(): void;
}

export function standingVersion(versions: CollectionVersions): number {
  return Math.min(...COLLECTIONS.map((c) => versions[c]));
}

export function createStreamedPokes(): StreamedPokes {
  const held = new Map<number, StreamedRecords>();
  let announced = 0;
  let misses = 0;

  return {
    note(poke) {
      if (poke.version !== undefined) this.announce(poke.version);
      if (!poke.stream || poke.stream.toVersion <= poke.stream.fromVersion) return;
      held.set(poke.stream.fromVersion, poke.stream);
      if (held.size > MAX_HELD) held.delete(Math.min(...held.keys()));
    },
    announce(version) {
      if (version > announced) misses = 0;
      announced = Math.max(announced, version);
    },
    next(versions) {
      const at = versions[COLLECTIONS[0]];
      for (const from of [...held.keys()]) if (from < at) held.delete(from);
      if (!COLLECTIONS.every((c) => versions[c] === at)) return undefined;
      const stream = held.get(at);
      held.delete(at);
      return stream;
    },
    isBehind(versions) {
      return announced > standingVersion(versions);
    },
    pulled(version) {
      if (version >= announced) return false;
      misses += 1;
      if (misses < BEHIND_RETRIES) return true;
      announced = version;
      misses = 0;
      return false;
    },
    reset() {
      held.clear();
      announced = 0;
      misses = 0;
    },
  };
}
