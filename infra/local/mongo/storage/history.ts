// Older versions of documents, kept while a transaction may still read them: a transaction reads
// the data as of its start (snapshot isolation), so a write that replaces or deletes a document
// while transactions are open records what it replaced. Versions no open transaction can see are
// pruned by the session sweep.
import type { StoredDoc } from './stored-doc.ts';

interface Replaced {
  /** Sequence number of the write that replaced `before`. */
  seq: number;
  /** The version in place before that write (undefined: the document did not exist). */
  before: StoredDoc | undefined;
}

export class VersionHistory {
  private readonly entries = new Map<string, Replaced[]>();
  /** Every recorded write in sequence order, to find what changed after a snapshot quickly. */
  private log: Array<{ seq: number; idKey: string }> = [];

  get size(): number {
    return this.entries.size;
  }

  /** Ids of documents written after `snapshotSeq` (those whose snapshot version may differ). */
  idsChangedAfter(snapshotSeq: number): string[] {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.log[mid]!.seq > snapshotSeq) high = mid;
      else low = mid + 1;
    }
    return [...new Set(this.log.slice(low).map((entry) => entry.idKey))];
  }

  record(idKey: string, seq: number, before: StoredDoc | undefined): void {
    const list = this.entries.get(idKey);
    if (list) list.push({ seq, before });
    else this.entries.set(idKey, [{ seq, before }]);
    this.log.push({ seq, idKey });
  }

  /** Undoes `record` for a write that was rolled back. */
  forget(idKey: string, seq: number): void {
    const list = this.entries.get(idKey);
    if (list?.[list.length - 1]?.seq !== seq) return;
    list.pop();
    const last = this.log[this.log.length - 1];
    if (last?.seq === seq && last.idKey === idKey) this.log.pop();
    if (list.length === 0) this.entries.delete(idKey);
  }

  /** The version a reader whose snapshot is `snapshotSeq` sees, given the current one. */
  versionAt(idKey: string, snapshotSeq: number, current: StoredDoc | undefined): StoredDoc | undefined {
    const list = this.entries.get(idKey);
    if (list) for (const entry of list) if (entry.seq > snapshotSeq) return entry.before;
    return current;
  }

  /** Drops versions replaced at or before `oldestSnapshot`: no open transaction reads them. */
  prune(oldestSnapshot: number): void {
    this.log = this.log.filter((entry) => entry.seq > oldestSnapshot);
    for (const [idKey, list] of this.entries) {
      const keep = list.filter((entry) => entry.seq > oldestSnapshot);
      if (keep.length === 0) this.entries.delete(idKey);
      else if (keep.length !== list.length) this.entries.set(idKey, keep);
    }
  }
}
