// The invariant checker itself: a lost mutation, a double application, a diverged device and a state
// that is not the HLC-order reference are each reported.
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../core/hlc.ts';
import { countApplied, diffStates, liveState, referenceState } from './lib/invariants.ts';
import type { QueuedMutation } from './lib/sim-device.ts';

const A = 'device_1700000000000_aaaa';
const B = 'device_1700000000000_bbbb';
const stamp = (ms: number, deviceId: string) =>
  formatHlc({ wallMs: 1_700_000_000_000 + ms, counter: 0, deviceId });
const weight = (id: number, deviceId: string, ms: number, value: number): QueuedMutation => ({
  deviceId,
  id,
  name: 'logWeight',
  args: { date: '2024-03-01', value, unit: 'kg' },
  hlc: stamp(ms, deviceId),
});

describe('chaos invariants', () => {
  it('the reference applies in HLC order, whatever order the devices queued in', () => {
    const later = weight(1, B, 20, 71);
    const earlier = weight(1, A, 10, 70);
    const state = referenceState([later, earlier]);
    expect([...state.values()]).toHaveLength(1);
    expect(state.get('weights/2024-03-01')).toContain('"value":71');
  });

  it('reports a lost, an extra and a different record', () => {
    const expected = liveState([
      { collection: 'weights', record: { id: 'a', value: 1 } },
      { collection: 'weights', record: { id: 'b', value: 2 } },
    ]);
    const actual = liveState([
      { collection: 'weights', record: { id: 'b', value: 3 } },
      { collection: 'weights', record: { id: 'c', value: 4 } },
      { collection: 'weights', record: { id: 'd', deleted: true } },
    ]);
    const diffs = diffStates('x', actual, expected);
    expect(diffs).toHaveLength(3);
    expect(diffs[0]).toContain('weights/a is (absent)');
  });

  it('counts "applied" answers per device and mutation id, ignoring failed exchanges', () => {
    const counts = new Map<string, number>();
    const body = Buffer.from(JSON.stringify({ deviceId: A, mutations: [] }));
    const answer = Buffer.from(
      JSON.stringify({
        results: [
          { id: 1, status: 'applied' },
          { id: 2, status: 'duplicate' },
        ],
      }),
    );
    countApplied(counts, body, 200, answer);
    countApplied(counts, body, 200, answer);
    countApplied(counts, body, 503, answer);
    expect(counts.get(`${A}#1`)).toBe(2);
    expect(counts.has(`${A}#2`)).toBe(false);
  });
});
