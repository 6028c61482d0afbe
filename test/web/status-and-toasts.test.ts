import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSnapshot } from '../../core/snapshot.ts';
import { rollbackMessage } from '../../web/src/app/describe.ts';
import { showsRefresh, syncStatusText } from '../../web/src/app/sync-status.ts';
import type { SyncStatus } from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { createToastModel, TOAST_MS } from '../../web/src/ui/toasts.ts';

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  phase: 'idle',
  failures: 0,
  lastSyncAt: null,
  lastError: null,
  ...patch,
});

describe('sync status words', () => {
  const cases: Array<[string, SyncStatus, number, boolean, string]> = [
    ['idle, nothing queued', status({}), 0, true, 'Synced'],
    ['idle with a queue', status({}), 2, true, '2 pending'],
    ['pushing', status({ phase: 'syncing' }), 1, true, 'Syncing 1 change…'],
    ['a routine poll does not flicker', status({ phase: 'syncing' }), 0, true, 'Synced'],
    ['browser offline', status({}), 0, false, 'Offline'],
    ['offline with a queue', status({ phase: 'offline' }), 3, true, 'Offline · 3 pending'],
    ['server failing, queue', status({ phase: 'failing', failures: 2 }), 1, true, '1 pending · retrying'],
    [
      'server silent, browser online',
      status({ phase: 'unreachable', failures: 1 }),
      0,
      true,
      "Can't reach the server",
    ],
    [
      'server silent, queue',
      status({ phase: 'unreachable', failures: 1 }),
      2,
      true,
      "2 pending · can't reach the server",
    ],
    [
      'server failing, no queue',
      status({ phase: 'failing', failures: 2 }),
      0,
      true,
      "Can't reach the server",
    ],
  ];
  it.each(cases)('%s', (_name, s, unacked, online, expected) => {
    expect(syncStatusText(s, unacked, online)).toBe(expected);
    expect(expected).toMatch(/^(Synced|Syncing|Offline|Can't reach the server|\d+ pending)/);
  });

  it('says Syncing before the first data arrives', () => {
    expect(syncStatusText(status({ phase: 'syncing' }), 0, true, false)).toBe('Syncing…');
  });

  it('offers Refresh only after repeated failures', () => {
    expect(showsRefresh(status({ failures: 2 }))).toBe(false);
    expect(showsRefresh(status({ failures: 3 }))).toBe(true);
    // Offline, the failures are expected and a Refresh button could only fail again.
    expect(showsRefresh(status({ failures: 3 }), false)).toBe(false);
  });
});

describe('rollback toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names the change and the reason', () => {
    const taskId = '01900000-0000-7000-8000-000000000001';
    const snapshot = buildSnapshot([
      {
        collection: 'tasks',
        record: {
          id: taskId,
          title: 'Read',
          points: 1,
          weekdays: [1],
          createdOn: '2026-01-01',
          archived: true,
          archivedOn: '2026-01-02',
          order: 0,
          hlc: '000000000000001:000000:device_1700000000000_test',
        } as never,
      },
    ]);
    const message = rollbackMessage(
      { name: 'completeTask', args: { taskId, date: '2026-01-03' } },
      snapshot,
      'The task "Read" is archived',
    );
    expect(message).toBe('Couldn\'t complete “Read”: The task "Read" is archived. The change was undone.');
  });

  it('shows each message once and dismisses it after a while', () => {
    const toasts = createToastModel(realTimers);
    toasts.show('Couldn’t save');
    toasts.show('Couldn’t save');
    expect(toasts.toasts.value.map((t) => t.message)).toEqual(['Couldn’t save']);
    vi.advanceTimersByTime(TOAST_MS);
    expect(toasts.toasts.value).toEqual([]);
  });
});
