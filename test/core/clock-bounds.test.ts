// The drift bound: a clock far off (or a stamp from one) can neither brick a device's clock nor win
// every later conflict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.ts';
import {
  compareHlc,
  compareHlcAt,
  createHlc,
  formatHlc,
  isBeyondDrift,
  MAX_CLOCK_DRIFT_MS,
  parseHlc,
} from '../../core/hlc.ts';
import { applyMutation, assertStampNotAhead } from '../../core/mutations/index.ts';
import { MemoryTx } from '../../core/store.ts';

const A = 'device_1700000000000_aaaa';
const B = 'device_1700000000000_bbbb';
const NOW = 1_765_000_000_000;
const FAR_FUTURE = `999999999999999:999999:${B}`;

describe('clock bound', () => {
  it('keeps stamping after observing the largest stamp there is', () => {
    const clock = createHlc(A, () => NOW);
    clock.observe(FAR_FUTURE);
    expect(() => clock.next()).not.toThrow();
    expect(parseHlc(clock.next()).wallMs).toBeLessThanOrEqual(NOW + MAX_CLOCK_DRIFT_MS);
  });

  it('restarts from its clock when the persisted stamp is beyond the bound', () => {
    const clock = createHlc(A, () => NOW, FAR_FUTURE.replace(B, A));
    expect(parseHlc(clock.next())).toEqual({ wallMs: NOW, counter: 0, deviceId: A });
  });

  it.each([
    ['just within the bound: adopted', NOW + MAX_CLOCK_DRIFT_MS, NOW + MAX_CLOCK_DRIFT_MS],
    ['a millisecond beyond: ignored', NOW + MAX_CLOCK_DRIFT_MS + 1, NOW],
    ['a year ahead: ignored', NOW + 365 * 86_400_000, NOW],
  ])('observe of a stamp %s', (_name, remoteWall, expectedWall) => {
    const clock = createHlc(A, () => NOW);
    clock.observe(formatHlc({ wallMs: remoteWall, counter: 5, deviceId: B }));
    expect(parseHlc(clock.next()).wallMs).toBe(expectedWall);
  });

  it('holds through small steps back and restarts after a correction larger than the bound', () => {
    let now = NOW;
    const clock = createHlc(A, () => now);
    const first = clock.next();
    now = NOW - 1_000; // offset jitter: stamps keep increasing
    const second = clock.next();
    expect(compareHlc(second, first)).toBeGreaterThan(0);
    now = NOW - 365 * 86_400_000; // the device was a year ahead and learned its offset
    expect(parseHlc(clock.next())).toEqual({ wallMs: now, counter: 0, deviceId: A });
  });

  it('never throws and never runs past the bound, whatever its clock reads and whatever it observes', () => {
    const wall = fc.oneof(
      fc.integer({ min: -(10 ** 16), max: 10 ** 16 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15),
    );
    const step = fc.oneof(
      fc.record({ kind: fc.constant('now' as const), wall }),
      fc.record({ kind: fc.constant('observe' as const), stamp: fc.oneof(fc.string(), stampArb()) }),
      fc.constant({ kind: 'next' as const }),
    );
    fc.assert(
      fc.property(wall, fc.array(step, { maxLength: 40 }), (start, steps) => {
        let now = start;
        const clock = createHlc(A, () => now);
        for (const s of steps) {
          if (s.kind === 'now') now = s.wall;
          else if (s.kind === 'observe') clock.observe(s.stamp);
          else {
            const { wallMs } = parseHlc(clock.next());
            // Steps back smaller than the bound are held, so the bound is over the held time.
            const physical = now > 0 ? Math.min(Math.floor(now), 999_999_999_999_999) : 0;
            expect(wallMs).toBeLessThanOrEqual(physical + 2 * MAX_CLOCK_DRIFT_MS + 1);
          }
        }
      }),
    );
  });
});

function stampArb(): fc.Arbitrary<string> {
  return fc
    .record({
      wallMs: fc.integer({ min: 0, max: 999_999_999_999_999 }),
      counter: fc.integer({ min: 0, max: 999_999 }),
      deviceId: fc.constantFrom(A, B),
    })
    .map(formatHlc);
}

describe('order at a moment', () => {
  const sane = formatHlc({ wallMs: NOW - 5, counter: 0, deviceId: A });
  const ahead = formatHlc({ wallMs: NOW + MAX_CLOCK_DRIFT_MS + 1, counter: 0, deviceId: A });
  it.each([
    ['a stamp beyond the bound ranks below a sane one', ahead, sane, -1],
    ['a sane stamp ranks above one beyond the bound', sane, ahead, 1],
    ['two beyond the bound keep their order', FAR_FUTURE, ahead, 1],
    ['the zero stamp of settings stays below a sane one', '', sane, -1],
    ['a stamp equals itself', FAR_FUTURE, FAR_FUTURE, 0],
  ])('%s', (_name, a, b, sign) => {
    expect(Math.sign(compareHlcAt(a, b, NOW))).toBe(sign);
  });

  it('judges the bound against the time given', () => {
    expect(isBeyondDrift(ahead, NOW)).toBe(true);
    expect(isBeyondDrift(ahead, NOW + 1)).toBe(false);
  });
});

describe('the server guard', () => {
  it('refuses a stamp beyond the bound with ClockAhead and lets one within it through', () => {
    expect(() => assertStampNotAhead(FAR_FUTURE, NOW)).toThrow(DomainError);
    try {
      assertStampNotAhead(formatHlc({ wallMs: NOW + MAX_CLOCK_DRIFT_MS + 1, counter: 0, deviceId: A }), NOW);
    } catch (err) {
      expect((err as DomainError).code).toBe('ClockAhead');
    }
    expect(() =>
      assertStampNotAhead(formatHlc({ wallMs: NOW + MAX_CLOCK_DRIFT_MS, counter: 9, deviceId: A }), NOW),
    ).not.toThrow();
  });
});

const TASK_ID = '01890000-0000-7000-8000-000000000001';
const DAY = '2025-12-01';
const taskArgs = {
  id: TASK_ID,
  title: 'Walk',
  points: 1,
  weekdays: [0, 1, 2, 3, 4, 5, 6],
  createdOn: DAY,
  order: 0,
};

/** A far-future write (stored before the bound existed), then a later real one of the same record. */
const cases = [
  [
    'a weight',
    { name: 'logWeight', args: { date: DAY, value: 90, unit: 'kg' } },
    { name: 'logWeight', args: { date: DAY, value: 70, unit: 'kg' } },
  ],
  [
    'a deleted weight',
    { name: 'logWeight', args: { date: DAY, value: 90, unit: 'kg' } },
    { name: 'deleteWeight', args: { date: DAY } },
  ],
  [
    'a completion',
    { name: 'skipTask', args: { taskId: TASK_ID, date: DAY } },
    { name: 'completeTask', args: { taskId: TASK_ID, date: DAY } },
  ],
  [
    'an uncompletion',
    { name: 'completeTask', args: { taskId: TASK_ID, date: DAY } },
    { name: 'uncompleteTask', args: { taskId: TASK_ID, date: DAY } },
  ],
  [
    'a task title',
    { name: 'editTask', args: { id: TASK_ID, title: 'Bad clock' } },
    { name: 'editTask', args: { id: TASK_ID, title: 'Run' } },
  ],
  [
    'an archive',
    { name: 'archiveTask', args: { id: TASK_ID, archived: true, date: DAY } },
    { name: 'archiveTask', args: { id: TASK_ID, archived: false, date: DAY } },
  ],
  [
    'settings',
    { name: 'updateSettings', args: { unit: 'lb' } },
    { name: 'updateSettings', args: { unit: 'kg' } },
  ],
] as const;

describe('a far-future stamp already stored', () => {
  it.each(cases)('never makes a later write of %s lose', (_name, bad, good) => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW + MAX_CLOCK_DRIFT_MS + 1, max: 999_999_999_999_999 }),
        fc.integer({ min: NOW - 86_400_000, max: NOW + MAX_CLOCK_DRIFT_MS }),
        (badWall, goodWall) => {
          const created = new MemoryTx();
          applyMutation(
            created,
            {
              name: 'createTask',
              args: taskArgs,
              hlc: formatHlc({ wallMs: NOW - 86_400_001, counter: 0, deviceId: A }),
            },
            { deviceId: A, nowMs: NOW },
          );
          const base = new MemoryTx(created);
          // Written by a broken clock when nothing guarded against it.
          applyMutation(
            base,
            { ...bad, hlc: formatHlc({ wallMs: badWall, counter: 7, deviceId: B }) },
            { deviceId: B, nowMs: NOW },
          );
          const expected = new MemoryTx(created);
          applyMutation(
            expected,
            { ...good, hlc: formatHlc({ wallMs: goodWall, counter: 0, deviceId: A }) },
            { deviceId: A, nowMs: NOW },
          );
          applyMutation(
            base,
            { ...good, hlc: formatHlc({ wallMs: goodWall, counter: 0, deviceId: A }) },
            { deviceId: A, nowMs: NOW },
          );
          const key = (tx: MemoryTx) =>
            tx.changes().map((c) => ({ ...c.record, hlc: undefined, clocks: undefined }));
          const content = (tx: MemoryTx) => Object.fromEntries(key(tx).map((r) => [r.id, r]));
          expect(content(base)).toMatchObject(content(expected));
        },
      ),
      { numRuns: 50 },
    );
  });
});
