// Test doubles for the web models: a fake sync server behind the SyncTransport interface, a
// controllable environment, and a rebase that understands one generic test mutation.

import { isBeyondDrift } from '../../core/hlc.ts';
import type { Change, CollectionName, RecordsByCollection, StoredRecord } from '../../core/records.ts';
import type {
  Changes,
  MutationEnvelope,
  MutationResult,
  PushResponse,
} from '../../core/schemas/sync-schemas.ts';
import { snapshotWith } from '../../core/snapshot.ts';
import type { Outbox } from '../../web/src/cache/outbox.ts';
import type { Rebase } from '../../web/src/cache/replica.ts';
import type { SyncEnvironment } from '../../web/src/sync/sync-manager.ts';
import { type SyncTransport, TransportError } from '../../web/src/sync/transport.ts';

export interface PutArgs {
  collection: CollectionName;
  record: StoredRecord;
}

/** The test mutation: `put` writes a record; anything else fails (to exercise rollback). */
export const testRebase: Rebase = (base, pending) => {
  const changes: Change[] = [];
  const failures: ReturnType<Rebase>['failures'] = [];
  for (const entry of pending) {
    if (entry.name !== 'put') {
      failures.push({ entry, error: new Error('unknown mutation') });
      continue;
    }
    const { collection, record } = entry.args as PutArgs;
    changes.push({ collection, record } as Change);
  }
  return { view: snapshotWith(base, changes), failures };
};

interface Stored {
  collection: CollectionName;
  record: StoredRecord;
  version: number;
}

/** A tiny in-memory sync server: versions, lastMutationId, rejections, and scripted failures. */
export class FakeServer implements SyncTransport {
  version = 0;
  lastMutationId = 0;
  /** Mutations applied (not replays): exactly-once means this equals the number queued. */
  applied = 0;
  readonly records = new Map<string, Stored>();
  readonly calls: string[] = [];
  /** Each queued error is thrown by the next call instead of answering. */
  readonly failures: TransportError[] = [];
  /** Like `failures`, for pulls only. */
  readonly pullFailures: TransportError[] = [];
  /** While set, responses wait for this promise (to hold a response in flight). */
  gate: Promise<void> | undefined;
  /** Push answers carry the records they wrote (`stream`), as the real server's one-commit pushes do. */
  streamsPushes = false;

  async push(_deviceId: string, mutations: readonly MutationEnvelope[]) {
    this.calls.push(`push ${mutations.map((m) => m.id).join(',')}`);
    await this.maybeFail();
    const results = [];
    const before = this.version;
    for (const m of mutations) {
      if (m.id <= this.lastMutationId) continue;
      this.lastMutationId = m.id;
      if (m.name !== 'put') {
        results.push({
          id: m.id,
          status: 'rejected' as const,
          error: { code: 'TaskArchived', message: 'The task is archived' },
        });
        continue;
      }
      this.applied += 1;
      this.write((m.args as PutArgs).collection, (m.args as PutArgs).record);
      results.push({ id: m.id, status: 'applied' as const });
    }
    const answer = { lastMutationId: this.lastMutationId, version: this.version, results };
    if (!this.streamsPushes || this.version === before) return answer;
    const changes: Partial<RecordsByCollection> = {};
    for (const s of this.records.values()) {
      if (s.version > before) changes[s.collection] = [...(changes[s.collection] ?? []), s.record];
    }
    return {
      ...answer,
      stream: { fromVersion: before, toVersion: this.version, changes: changes as Changes },
    };
  }

  async pull(since: number, collections?: readonly CollectionName[]) {
    this.calls.push(`pull ${since}${collections ? ` ${collections.join(',')}` : ''}`);
    await this.maybeFail();
    const pullFailure = this.pullFailures.shift();
    if (pullFailure) throw pullFailure;
    // Like the real server: a version it never reached gets `reset` and a full snapshot.
    const reset = since > this.version;
    if (reset) since = -1;
    const changes: Partial<RecordsByCollection> = {};
    for (const s of this.records.values()) {
      if (s.version <= since || (collections && !collections.includes(s.collection))) continue;
      changes[s.collection] = [...(changes[s.collection] ?? []), s.record];
    }
    // The fake's records are any shape a test makes (see `record`), not the protocol's own.
    const typed = changes as Changes;
    return reset
      ? { version: this.version, changes: typed, reset }
      : { version: this.version, changes: typed };
  }

  /** Versions reported through mark-synced, in order. */
  readonly marks: number[] = [];

  async markSynced(_deviceId: string, version: number) {
    this.marks.push(version);
  }

  /** A write made by another device. */
  write(collection: CollectionName, record: StoredRecord): void {
    this.version += 1;
    this.records.set(`${collection}/${record.id}`, { collection, record, version: this.version });
  }

  private async maybeFail(): Promise<void> {
    if (this.gate) await this.gate;
    const failure = this.failures.shift();
    if (failure) throw failure;
  }
}

/**
 * A server that acknowledges every change and writes none of them, as the real one does for a change
 * that lost to a newer edit (or changes nothing): the test writes what the server holds.
 */
export class AcceptingServer extends FakeServer {
  override async push(_deviceId: string, mutations: readonly MutationEnvelope[]) {
    const fresh = mutations.filter((m) => m.id > this.lastMutationId);
    this.lastMutationId = Math.max(this.lastMutationId, ...mutations.map((m) => m.id));
    const results = fresh.map((m) => ({ id: m.id, status: 'applied' as const }));
    return { lastMutationId: this.lastMutationId, version: this.version, results };
  }
}

export function networkError(): TransportError {
  return new TransportError('network', 'offline');
}

export class FakeEnvironment implements SyncEnvironment {
  visible = true;
  online = true;
  private listeners = new Set<Parameters<SyncEnvironment['subscribe']>[0]>();
  isVisible = () => this.visible;
  isOnline = () => this.online;
  subscribe(listener: Parameters<SyncEnvironment['subscribe']>[0]) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: 'visible' | 'hidden' | 'online' | 'offline' | 'focus'): void {
    if (event === 'visible' || event === 'hidden') this.visible = event === 'visible';
    if (event === 'online' || event === 'offline') this.online = event === 'online';
    for (const l of this.listeners) l(event);
  }
}

export function record(id: string, fields: Record<string, unknown> = {}): StoredRecord {
  return { id, hlc: `000000000000001:000000:test`, ...fields } as StoredRecord;
}

/** Queues one of the fake server's own mutations (`put`, or a name it refuses), unknown to core. */
export function enqueueTest(outbox: Outbox, name: string, args: unknown): ReturnType<Outbox['enqueue']> {
  return (outbox.enqueue as (name: string, args: unknown) => ReturnType<Outbox['enqueue']>)(name, args);
}

/** The fake server behind the real one's guard: stamps beyond the drift bound are refused, ids spent. */
export class GuardedServer implements SyncTransport {
  readonly inner = new FakeServer();
  sendsServerTime = true;
  /** The server's clock: a device's own clock may be far from it. */
  now = () => Date.now();
  async push(deviceId: string, mutations: readonly MutationEnvelope[]): Promise<PushResponse> {
    const results: MutationResult[] = [];
    for (const m of mutations) {
      if (m.id <= this.inner.lastMutationId) continue;
      if (isBeyondDrift(m.hlc, this.now())) {
        this.inner.lastMutationId = m.id;
        results.push({ id: m.id, status: 'rejected', error: { code: 'ClockAhead', message: 'ahead' } });
      } else results.push(...(await this.inner.push(deviceId, [m])).results);
    }
    const { lastMutationId, version } = this.inner;
    return { lastMutationId, version, results, ...(this.sendsServerTime ? { serverTime: this.now() } : {}) };
  }
  async pull(since: number) {
    const answer = await this.inner.pull(since);
    return this.sendsServerTime ? { ...answer, serverTime: this.now() } : answer;
  }
}
