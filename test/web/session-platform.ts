// A SessionPlatform for tests: tabs of one device in one process. One memory storage stands for the
// device's IndexedDB, a bus for BroadcastChannel, a lock table for Web Locks; timers are the
// globals, which vi.useFakeTimers() replaces.
import type { BrowserEnvironment } from '../../web/src/env/browser-env.ts';
import type { SessionPlatform } from '../../web/src/session/browser-platform.ts';
import type { ElectLeader } from '../../web/src/session/leadership.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import type { ReplicaStorage } from '../../web/src/sync/storage.ts';
import type { TabChannel, TabMessage } from '../../web/src/sync/tab-channel.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import type { SyncTransport } from '../../web/src/sync/transport.ts';
import { FakeEnvironment } from './fakes.ts';

interface Claim {
  lead: () => () => void;
  stop?: (() => void) | undefined;
}

/** Web Locks for one lock name: one holder, the others wait in order; `steal` takes it over. */
export class FakeLocks {
  holder: Claim | undefined;
  private waiting: Claim[] = [];

  /** A holder that never answers and never lets go: a frozen or hung leader tab. */
  hang(): void {
    this.holder = { lead: () => () => {} };
  }

  elect: ElectLeader = (_name, lead) => {
    const claim: Claim = { lead };
    this.request(claim);
    return {
      steal: () => {
        if (this.holder === claim) return;
        this.waiting = this.waiting.filter((c) => c !== claim);
        const old = this.holder;
        // The robbed tab learns it lost the lock and queues for it again.
        if (old) {
          this.lose(old);
          this.waiting.push(old);
        }
        this.grant(claim);
      },
      release: () => {
        this.waiting = this.waiting.filter((c) => c !== claim);
        if (this.holder !== claim) return;
        this.lose(claim);
        this.holder = undefined;
        const next = this.waiting.shift();
        if (next) this.grant(next);
      },
    };
  };

  private request(claim: Claim): void {
    if (this.holder) this.waiting.push(claim);
    else this.grant(claim);
  }

  private grant(claim: Claim): void {
    this.holder = claim;
    claim.stop = claim.lead();
  }

  private lose(claim: Claim): void {
    claim.stop?.();
    claim.stop = undefined;
  }
}

/** BroadcastChannel: a message reaches every other tab, later and as a copy. */
function createBus(): (name: string) => TabChannel {
  const tabs = new Set<Set<(message: TabMessage) => void>>();
  return () => {
    const listeners = new Set<(message: TabMessage) => void>();
    tabs.add(listeners);
    return {
      post(message) {
        for (const other of tabs) {
          if (other === listeners) continue;
          for (const listener of other) void Promise.resolve(structuredClone(message)).then(listener);
        }
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => tabs.delete(listeners),
    };
  };
}

export interface TestDevice {
  locks: FakeLocks;
  /** The device's storage (IndexedDB's stand-in), shared by its tabs. */
  storage: ReplicaStorage;
  /**
   * A platform for one more tab of this device; `visible` is read on every check, and calling the
   * functions in `leaving` is the tab going out of sight.
   */
  tab(visible?: { value: boolean }, leaving?: Set<() => void>): SessionPlatform;
}

export function testDevice(server: SyncTransport, deviceId = 'device_1700000000000_tabs'): TestDevice {
  const storage = createMemoryStorage();
  const locks = new FakeLocks();
  const openChannel = createBus();
  let tabs = 0;
  return {
    locks,
    storage,
    tab(visible = { value: true }, leaving = new Set<() => void>()) {
      const env: BrowserEnvironment = Object.assign(new FakeEnvironment(), { announce() {}, dispose() {} });
      return {
        openStorage: async () => ({ storage, created: false }),
        deviceIdFor: () => deviceId,
        openChannel,
        environment: () => env,
        elect: locks.elect,
        isPageVisible: () => visible.value,
        timers: realTimers,
        transport: () => server,
        newTabId: () => `tab${++tabs}`,
        onPageLeave(listener) {
          leaving.add(listener);
          return () => leaving.delete(listener);
        },
      };
    },
  };
}
