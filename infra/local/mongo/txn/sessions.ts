// Logical sessions and their transactions. A transaction buffers its writes in an overlay and
// takes a per-document write lock on first write; a second transaction writing the same document,
// or a document changed since this transaction began, fails with WriteConflict (112,
// TransientTransactionError) so that the driver's `withTransaction` retries it — the sync backend
// relies on this to serialize a user's writes by `$inc`-ing one version document per transaction.
import type { Document } from 'bson';
import { serverError, writeConflict } from '../errors.ts';
import type { DocWrite, Engine } from '../storage/engine.ts';

export type TxnState = 'active' | 'committed' | 'aborted';

export interface Txn {
  readonly txnNumber: number;
  state: TxnState;
  readonly startSeq: number;
  /** When it began: MongoDB's lifetime limit counts from here, however busy the transaction is. */
  readonly startedAt: number;
  /** ns → idKey → new document (null = deleted); Map order is the order of first write. */
  readonly writes: Map<string, Map<string, Document | null>>;
}

export interface Session {
  readonly id: string;
  lastUse: number;
  txn: Txn | undefined;
  /** The last retryable write, replayed instead of re-applied when the driver retries it. */
  lastRetryable: { txnNumber: number; reply: Document } | undefined;
}

const SESSION_TIMEOUT_MS = 30 * 60_000;

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly locks = new Map<string, Txn>();
  /**
   * MongoDB's transactionLifetimeLimitSeconds (default 60, `setParameter` changes it): a transaction
   * older than this is aborted by the sweep, releasing its write locks. A client that died inside a
   * transaction (a killed function) holds its documents that long.
   */
  transactionLifetimeLimitSeconds = 60;

  constructor(private readonly engine: Engine) {}

  session(id: string, now = Date.now()): Session {
    let session = this.sessions.get(id);
    if (!session) {
      session = { id, lastUse: now, txn: undefined, lastRetryable: undefined };
      this.sessions.set(id, session);
    }
    session.lastUse = now;
    return session;
  }

  end(id: string): void {
    const session = this.sessions.get(id);
    if (session?.txn?.state === 'active') this.abort(session.txn);
    this.sessions.delete(id);
  }

  begin(session: Session, txnNumber: number): Txn {
    if (session.txn?.state === 'active') this.abort(session.txn);
    const txn: Txn = {
      txnNumber,
      state: 'active',
      startSeq: this.engine.seq,
      startedAt: Date.now(),
      writes: new Map(),
    };
    session.txn = txn;
    this.engine.snapshotReaders++;
    return txn;
  }

  /** Records a write in the transaction, or throws WriteConflict (and aborts the transaction). */
  write(txn: Txn, ns: string, idKey: string, doc: Document | null): void {
    const lockKey = `${ns}\u0000${idKey}`;
    const holder = this.locks.get(lockKey);
    const changedSince = (this.engine.collection(ns)?.lastWriteSeq(idKey) ?? 0) > txn.startSeq;
    if ((holder && holder !== txn) || changedSince) {
      this.abort(txn);
      throw writeConflict();
    }
    this.locks.set(lockKey, txn);
    let perNs = txn.writes.get(ns);
    if (!perNs) {
      perNs = new Map();
      txn.writes.set(ns, perNs);
    }
    perNs.set(idKey, doc);
  }

  /** Applies the transaction atomically; the caller then waits for the journal before replying. */
  commit(txn: Txn): void {
    if (txn.state === 'committed') return;
    if (txn.state === 'aborted') {
      throw serverError('NoSuchTransaction', `Transaction ${txn.txnNumber} has been aborted.`, {
        labels: ['TransientTransactionError'],
      });
    }
    const writes: DocWrite[] = [];
    for (const [ns, perNs] of txn.writes) {
      const coll = this.engine.collection(ns);
      for (const [idKey, doc] of perNs) {
        if ((coll?.lastWriteSeq(idKey) ?? 0) > txn.startSeq) {
          this.abort(txn);
          throw writeConflict();
        }
        writes.push({ ns, idKey, doc });
      }
    }
    try {
      this.engine.commit(writes);
    } catch (err) {
      this.abort(txn);
      throw err;
    }
    this.release(txn);
    txn.state = 'committed';
    this.engine.snapshotReaders--;
  }

  abort(txn: Txn): void {
    if (txn.state !== 'active') return;
    this.release(txn);
    txn.state = 'aborted';
    this.engine.snapshotReaders--;
  }

  private release(txn: Txn): void {
    for (const [ns, perNs] of txn.writes) {
      for (const idKey of perNs.keys()) {
        const lockKey = `${ns}\u0000${idKey}`;
        if (this.locks.get(lockKey) === txn) this.locks.delete(lockKey);
      }
    }
  }

  /** Aborts abandoned transactions, forgets idle sessions, prunes write sequence numbers no one needs. */
  sweep(now = Date.now()): void {
    let oldestActive = Number.POSITIVE_INFINITY;
    for (const session of this.sessions.values()) {
      const txn = session.txn;
      const expired = now - (txn?.startedAt ?? now) > this.transactionLifetimeLimitSeconds * 1000;
      if (txn?.state === 'active' && expired) this.abort(txn);
      if (session.txn?.state === 'active') oldestActive = Math.min(oldestActive, session.txn.startSeq);
      if (now - session.lastUse > SESSION_TIMEOUT_MS) this.end(session.id);
    }
    for (const coll of this.engine.collections.values()) {
      for (const [idKey, seq] of coll.recentWrites) if (seq <= oldestActive) coll.recentWrites.delete(idKey);
      coll.history.prune(oldestActive);
    }
  }
}
