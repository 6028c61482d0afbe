// Pokes that carry a commit's records. A device whose every collection stands at the poke's
// `fromVersion` applies them instead of pulling, whatever else it is doing (pushing included). Versions
// commit out of order on the server and the network reorders too, so a poke can come before the one
// it follows: it is held (at most MAX_HELD) for POKE_GAP_MS; when the missing one comes, both apply in
// order; when it does not, the device pulls. Anything else pulls at once: a poke without records, a
// heartbeat above where the device stands, a reset.
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
export const MAX_HELD = 32;
/** How long a held poke waits for the one it follows before the device pulls instead. */
export const POKE_GAP_MS = 250;
/** Pulls that may stay below an announced version before it is dropped. */
export const BEHIND_RETRIES = 5;

export interface StreamedPokes {
  note(poke: Poke, now: number): void;
  announce(version: number): void;
  /** The records that continue exactly where every collection stands, if a poke brought them. */
  next(versions: CollectionVersions): StreamedRecords | undefined;
  isBehind(versions: CollectionVersions): boolean;
  /**
   * While the device is behind only by held pokes' records, how much longer to wait for the poke
   * they follow; undefined when a pull is due now (or nothing is awaited).
   */
  gapWait(versions: CollectionVersions, now: number): number | undefined;
  /** A pull answered `version`: true while still behind and worth another try later. */
  pulled(version: number): boolean;
  reset(): void;
}

export function standingVersion(versions: CollectionVersions): number {
  return Math.min(...COLLECTIONS.map((c) => versions[c]));
}

export function createStreamedPokes(): StreamedPokes {
  const held = new Map<number, StreamedRecords & { heldAt: number }>();
  let announced = 0;
  let misses = 0;

  return {
    note(poke, now) {
      if (poke.version !== undefined) this.announce(poke.version);
      if (!poke.stream || poke.stream.toVersion <= poke.stream.fromVersion) return;
      const heldAt = held.get(poke.stream.fromVersion)?.heldAt ?? now;
      held.set(poke.stream.fromVersion, { ...poke.stream, heldAt });
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
      return (
        stream && { fromVersion: stream.fromVersion, toVersion: stream.toVersion, changes: stream.changes }
      );
    },
    isBehind(versions) {
      return announced > standingVersion(versions);
    },
    gapWait(versions, now) {
      const at = standingVersion(versions);
      const ahead = [...held.values()].filter((s) => s.fromVersion > at);
      // An announcement no held records cover (a heartbeat, a poke without records) is pulled at once.
      if (announced <= at || !ahead.length || announced > Math.max(...ahead.map((s) => s.toVersion)))
        return undefined;
      const left = Math.min(...ahead.map((s) => s.heldAt)) + POKE_GAP_MS - now;
      return left > 0 ? left : undefined;
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
