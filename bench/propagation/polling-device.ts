// A device of the original polling design (docs/rules.md), as its sync manager worked: every 5 s `check-update`; when it says
// needsUpdate, refetch everything its screens show (home + health data), then `mark-synced`.
// Each completed refetch is reported with the time it finished and the bytes it cost on the wire.
import type { Client } from '../sync/http.ts';

export interface Refetch {
  /** When the check-update that found the change was sent. */
  checkedAt: number;
  doneAt: number;
  bytes: number;
}

export interface PollingDevice {
  /** The first refetch whose check-update was sent at or after `sentAt`. */
  refetchAfter(sentAt: number): Promise<Refetch>;
  stop(): void;
}

const ACCEPT = { 'accept-encoding': 'br, gzip' };

export function startPollingDevice(
  client: Client,
  deviceId: string,
  today: string,
  periodMs: number,
): PollingDevice {
  const refetches: Refetch[] = [];
  const waiters = new Set<() => void>();
  let stopped = false;
  const tick = async () => {
    const checkedAt = performance.now();
    const check = await client.send('GET', `/api/sync/check-update?deviceId=${deviceId}`);
    if (!(check.json as { needsUpdate?: boolean }).needsUpdate) return;
    const home = await client.send('GET', `/api/home?date=${today}`, { headers: ACCEPT });
    const health = await client.send('GET', `/api/health-data?date=${today}`, { headers: ACCEPT });
    refetches.push({ checkedAt, doneAt: performance.now(), bytes: home.wireBytes + health.wireBytes });
    await client.send('POST', '/api/sync/mark-synced', { body: { deviceId } });
    for (const wake of waiters) wake();
  };
  const loop = async () => {
    while (!stopped) {
      const next = performance.now() + periodMs;
      await tick().catch(() => undefined);
      await new Promise((done) => setTimeout(done, Math.max(0, next - performance.now())));
    }
  };
  void loop();
  return {
    async refetchAfter(sentAt) {
      for (;;) {
        const found = refetches.find((r) => r.checkedAt >= sentAt);
        if (found) return found;
        await new Promise<void>((wake) => {
          const done = () => {
            waiters.delete(done);
            wake();
          };
          waiters.add(done);
        });
      }
    },
    stop: () => {
      stopped = true;
    },
  };
}
