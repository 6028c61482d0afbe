// "Changed on another device": which pending changes lost to a newer edit pulled from another device.
import { describe, expect, it } from 'vitest';
import { applyMutation } from '../../core/mutations/index.ts';
import { buildSnapshot, snapshotWith } from '../../core/snapshot.ts';
import { MemoryTx } from '../../core/store.ts';
import { supersededEntries } from '../../web/src/cache/superseded.ts';
import { NOW_MS, taskId } from '../core/fixtures.ts';

const ME = 'device_1700000000000_mine';
const OTHER = 'device_1700000000000_other';
const T = taskId(1);
const stamp = (ms: number, device: string) => `${String(ms).padStart(15, '0')}:000000:${device}`;

function world(remote: { name: string; args: unknown; hlc: string }) {
  const tx = new MemoryTx();
  const create = {
    name: 'createTask',
    args: { id: T, title: 'Stretch', points: 1, weekdays: [1], createdOn: '2026-06-01', order: 0 },
    hlc: stamp(NOW_MS - 10_000, OTHER),
  };
  applyMutation(tx, create, { deviceId: OTHER, nowMs: NOW_MS });
  const before = buildSnapshot(tx.changes());
  const step = new MemoryTx(before);
  applyMutation(step, remote, { deviceId: OTHER, nowMs: NOW_MS });
  const pulled = step.changes();
  return { base: snapshotWith(before, pulled), pulled };
}

const mine = { id: 1, name: 'editTask', args: { id: T, title: 'Mine' }, hlc: stamp(NOW_MS - 5_000, ME) };

describe('supersededEntries', () => {
  it.each([
    ['another device renamed it later', { title: 'Theirs' }, NOW_MS - 1_000, OTHER, [1]],
    ['another device renamed it earlier: mine wins', { title: 'Theirs' }, NOW_MS - 8_000, OTHER, []],
    ['another device changed another field later: both survive', { points: 5 }, NOW_MS - 1_000, OTHER, []],
    ['my own edit echoed back', { title: 'Mine' }, NOW_MS - 1_000, ME, []],
  ])('%s', (_name, fields, ms, device, want) => {
    const { base, pulled } = world({ name: 'editTask', args: { id: T, ...fields }, hlc: stamp(ms, device) });
    const lost = supersededEntries({ base, pulled, pending: [mine], deviceId: ME, nowMs: NOW_MS });
    expect(lost.map((e) => e.id)).toEqual(want);
  });

  it('leaves a change the domain refuses to the rejection path', () => {
    const { base, pulled } = world({
      name: 'editTask',
      args: { id: T, title: 'Theirs' },
      hlc: stamp(NOW_MS, OTHER),
    });
    const bad = { id: 2, name: 'editTask', args: { id: T }, hlc: stamp(NOW_MS - 5_000, ME) };
    expect(supersededEntries({ base, pulled, pending: [bad], deviceId: ME, nowMs: NOW_MS })).toEqual([]);
  });
});
