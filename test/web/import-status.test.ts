// An import queues hundreds of changes; the status must not say "Synced" until the server has them all.
import { effect } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildExport } from '../../core/data-export/export-format.ts';
import { addDays } from '../../core/dates.ts';
import { applyMutation } from '../../core/mutations/index.ts';
import { buildSnapshot } from '../../core/snapshot.ts';
import { MemoryTx } from '../../core/store.ts';
import { syncStatusText } from '../../web/src/app/sync-status.ts';
import { openUserSession } from '../../web/src/session/user-session.ts';
import { importFile } from '../../web/src/ui/data-transfer.ts';
import { AcceptingServer } from './fakes.ts';
import { testDevice } from './session-platform.ts';

const OTHER = 'device_1700000000000_other';
const TASK = '0190a0b0-0000-7000-8000-000000000001';
const DAYS = 250;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** An export of another account: one task completed on each of `DAYS` days. */
function exportFile(): Blob {
  const tx = new MemoryTx();
  const ctx = { deviceId: OTHER, nowMs: Date.now() };
  let n = 0;
  const hlc = () => `${String(Date.now() - 3_600_000 + n++).padStart(15, '0')}:000000:${OTHER}`;
  const start = '2023-01-01';
  const args = {
    id: TASK,
    title: 'Stretch',
    points: 1,
    weekdays: [0, 1, 2, 3, 4, 5, 6],
    createdOn: start,
    order: 0,
  };
  applyMutation(tx, { name: 'createTask', args, hlc: hlc() }, ctx);
  for (let d = 0; d < DAYS; d += 1) {
    applyMutation(
      tx,
      { name: 'completeTask', args: { taskId: TASK, date: addDays(start, d) }, hlc: hlc() },
      ctx,
    );
  }
  const file = buildExport(buildSnapshot(tx.changes()).records(), new Date().toISOString());
  return new Blob([JSON.stringify(file)]);
}

describe('importing a file', () => {
  it('says "Synced" only once the server has every imported change', async () => {
    const server = new AcceptingServer();
    const session = await openUserSession(
      {
        userId: 'user-1',
        onRejected: () => undefined,
        onUnauthorized: () => undefined,
        onStoreError: () => undefined,
      },
      testDevice(server).tab(),
    );
    await vi.advanceTimersByTimeAsync(100);
    const seen: string[] = [];
    const stop = effect(() => {
      const unacked = session.replica.pending.value.filter((e) => e.ackedAtVersion === undefined).length;
      const text = syncStatusText(session.status.value, unacked, true);
      if (text === 'Synced') seen.push(`Synced with ${server.lastMutationId} on the server`);
    });
    seen.length = 0;
    const outcome = await importFile(
      { view: session.replica.view, mutate: session.mutate },
      exportFile(),
      Date.now(),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    stop();
    session.close();
    expect(outcome).toEqual({
      ok: true,
      text: `Imported ${DAYS + 1} changes. They sync to your other devices.`,
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`Synced with ${DAYS + 1} on the server`]));
  });
});
