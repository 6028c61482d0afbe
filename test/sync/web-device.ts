// A device running the web app's own sync code (replica, outbox, sync manager, clock offset estimate,
// HLC) against the real push and pull handlers, in process, with its wall clock `skewMs` off.
import { createHlc, type HlcClock } from '../../core/hlc.ts';
import type { MutationName } from '../../core/mutations/index.ts';
import type { MutationEnvelope, PullResponse, PushResponse } from '../../core/schemas/sync-schemas.ts';
import { handler as pullHandler } from '../../functions/sync/pull.ts';
import { handler as pushHandler } from '../../functions/sync/push.ts';
import { createCoreRebase } from '../../web/src/cache/core-rebase.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica, type Replica } from '../../web/src/cache/replica.ts';
import { type ClockOffset, createClockOffset, sampleServerTime } from '../../web/src/sync/clock-offset.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import type { OutboxEntry } from '../../web/src/sync/storage.ts';
import { createSyncManager, type SyncManager } from '../../web/src/sync/sync-manager.ts';
import type { Timers } from '../../web/src/sync/timers.ts';
import { kindOfStatus, type SyncTransport, TransportError } from '../../web/src/sync/transport.ts';
import { type Answer, call } from './call.ts';
import { newTestDeviceId } from './devices.ts';

function inProcessTransport(userId: string): SyncTransport {
  const answer = <T>(res: Answer<T>): T => {
    if (res.status !== 200)
      throw new TransportError(kindOfStatus(res.status), JSON.stringify(res.body), res.status);
    return res.body;
  };
  return {
    async push(deviceId: string, mutations: readonly MutationEnvelope[]) {
      const body = { deviceId, mutations };
      return answer(
        await call<PushResponse>(pushHandler, { method: 'POST', path: '/api/sync/push', body, userId }),
      );
    },
    async pull(since: number) {
      const query = { since: String(since) };
      return answer(await call<PullResponse>(pullHandler, { path: '/api/sync/pull', query, userId }));
    },
  };
}

/** The loop runs only when the test says so: no polling, and a failed cycle's retry never fires. */
const manualTimers: Timers = { now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => undefined };

export class WebDevice {
  readonly deviceId = newTestDeviceId();
  readonly replica: Replica;
  readonly offset: ClockOffset;
  readonly clock: HlcClock;
  /** The device's changes as last queued (a re-stamped one under its new id and stamp). */
  readonly entries = new Map<number, OutboxEntry>();
  readonly acked = new Set<number>();
  readonly rejected: string[] = [];
  restamps = 0;
  private readonly manager: SyncManager;
  private readonly outbox;
  private started = false;

  constructor(userId: string, skewMs: number) {
    const deviceNow = () => Date.now() + skewMs;
    this.offset = createClockOffset({ now: deviceNow });
    this.clock = createHlc(this.deviceId, this.offset.now);
    this.replica = createReplica(createCoreRebase(this.deviceId, this.offset.now));
    const storage = createMemoryStorage();
    this.outbox = createOutbox({ replica: this.replica, storage, clock: this.clock });
    const clock = this.clock;
    this.manager = createSyncManager({
      replica: this.replica,
      storage,
      transport: sampleServerTime(inProcessTransport(userId), this.offset, deviceNow),
      deviceId: this.deviceId,
      env: { isVisible: () => false, isOnline: () => true, subscribe: () => () => undefined },
      timers: manualTimers,
      clock,
      events: {
        onPulled(changes) {
          for (const list of Object.values(changes))
            for (const r of list ?? []) if (r.hlc) clock.observe(r.hlc);
        },
        onAcked: (ids) => {
          for (const id of ids) this.acked.add(id);
        },
        onRejected: (list) => this.rejected.push(...list.map((r) => `#${r.entry.id}: ${r.reason}`)),
        onRestamped: (from, to) => {
          this.restamps += 1;
          this.entries.delete(from.id);
          this.entries.set(to.id, to);
        },
      },
    });
  }

  async mutate(name: string, args: unknown): Promise<void> {
    // The scenario's ops are drawn as plain data; the server validates them like any other push.
    const entry = await (
      this.outbox.enqueue as (n: MutationName, a: unknown) => ReturnType<typeof this.outbox.enqueue>
    )(name as MutationName, args);
    if (!entry) throw new Error(`storage refused ${name}`);
    this.entries.set(entry.id, entry);
  }

  /** One full cycle (push, then pull), and any cycle it triggered, to the end. */
  async sync(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.manager.start();
    }
    await this.manager.syncNow();
    while (this.manager.status.value.phase === 'syncing') await new Promise((r) => setTimeout(r, 2));
    const { lastError } = this.manager.status.value;
    if (this.manager.status.value.failures > 0) throw new Error(`sync failed: ${lastError}`);
  }

  stop(): void {
    this.manager.stop();
  }
}
