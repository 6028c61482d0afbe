// "Can't reach the server" (online browser, silent API) and noticing the server is back within 2 s
// through a 1 s health probe rather than the sync backoff (fake timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncStatusText } from '../../web/src/app/sync-status.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { createReachabilityProbe } from '../../web/src/sync/reachability-probe.ts';
import { createSyncManager } from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { FakeEnvironment, FakeServer, networkError, testRebase } from './fakes.ts';

/** A server that can go silent: every call fails as a network error, health included. */
class DownableServer extends FakeServer {
  up = true;
  healthChecks = 0;
  async health() {
    this.healthChecks += 1;
    return this.up;
  }
  override async pull(...args: Parameters<FakeServer['pull']>) {
    if (!this.up) throw networkError();
    return super.pull(...args);
  }
}

function setup() {
  const server = new DownableServer();
  const env = new FakeEnvironment();
  const manager = createSyncManager({
    replica: createReplica(testRebase),
    storage: createMemoryStorage(),
    transport: server,
    deviceId: 'device_1700000000000_test',
    env,
    timers: realTimers, // vi.useFakeTimers() replaces the globals these delegate to
    random: () => 0.999, // the longest backoff waits
  });
  return { server, env, manager };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('an online browser whose server does not answer', () => {
  it("says Can't reach the server, not Offline", async () => {
    const { server, manager } = setup();
    server.up = false;
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(manager.status.value.phase).toBe('unreachable');
    expect(syncStatusText(manager.status.value, 0, true)).toBe("Can't reach the server");
    expect(syncStatusText(manager.status.value, 2, true)).toBe("2 pending · can't reach the server");
    manager.stop();
  });

  it('notices the server is back within 2 s of it answering, long before the backoff would', async () => {
    const { server, manager } = setup();
    server.up = false;
    manager.start();
    await vi.advanceTimersByTimeAsync(60_000); // several failures: the backoff is now tens of seconds
    expect(manager.status.value.failures).toBeGreaterThanOrEqual(4);
    const probesWhileDown = server.healthChecks;
    expect(probesWhileDown).toBeGreaterThanOrEqual(55); // about one a second
    expect(probesWhileDown).toBeLessThanOrEqual(61);
    server.up = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(manager.status.value).toMatchObject({ phase: 'idle', failures: 0 });
    // Back: the probe stops.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.healthChecks).toBeLessThanOrEqual(probesWhileDown + 2);
    manager.stop();
  });

  it('does not probe while the browser is offline: that is plain Offline', async () => {
    const { server, env, manager } = setup();
    env.online = false;
    server.up = false;
    manager.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(manager.status.value.phase).toBe('offline');
    expect(syncStatusText(manager.status.value, 0, false)).toBe('Offline');
    expect(server.healthChecks).toBe(0);
    manager.stop();
  });

  it('stops probing when the manager stops', async () => {
    const { server, manager } = setup();
    server.up = false;
    manager.start();
    await vi.advanceTimersByTimeAsync(3_000);
    manager.stop();
    const checks = server.healthChecks;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.healthChecks).toBe(checks);
  });
});

describe('the probe alone', () => {
  it('asks every interval until an answer, treats a throw as no answer, then calls back once', async () => {
    const answers: Array<() => boolean> = [
      () => false,
      () => {
        throw new Error('connection reset');
      },
      () => true,
    ];
    let checks = 0;
    let back = 0;
    const probe = createReachabilityProbe({
      timers: realTimers,
      check: async () => {
        checks += 1;
        return (answers.shift() ?? (() => true))();
      },
      onBack: () => {
        back += 1;
      },
    });
    probe.start();
    probe.start(); // idempotent
    await vi.advanceTimersByTimeAsync(999);
    expect(checks).toBe(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(checks).toBe(3);
    expect(back).toBe(1);
    expect(probe.isProbing).toBe(false);
  });
});
