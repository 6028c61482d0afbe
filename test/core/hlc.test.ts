import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, createHlc, formatHlc, isHlc, MAX_CLOCK_DRIFT_MS, parseHlc } from '../../core/hlc.ts';

const A = 'device_1700000000000_aaaa';
const B = 'device_1700000000000_bbbb';

describe('hybrid logical clock', () => {
  it('follows the wall clock when it moves forward', () => {
    let now = 1000;
    const clock = createHlc(A, () => now);
    const first = clock.next();
    now = 2000;
    expect(parseHlc(clock.next())).toEqual({ wallMs: 2000, counter: 0, deviceId: A });
    expect(parseHlc(first)).toEqual({ wallMs: 1000, counter: 0, deviceId: A });
  });

  it('counts within one millisecond and when the wall clock goes backwards', () => {
    let now = 5000;
    const clock = createHlc(A, () => now);
    const stamps = [clock.next(), clock.next()];
    now = 4000; // the device clock was set back
    stamps.push(clock.next());
    expect(stamps.map(parseHlc).map((p) => [p.wallMs, p.counter])).toEqual([
      [5000, 0],
      [5000, 1],
      [5000, 2],
    ]);
  });

  it('never issues a stamp behind one it observed from a clock ahead within the drift bound', () => {
    const clock = createHlc(A, () => 1000);
    const remote = formatHlc({ wallMs: 1000 + MAX_CLOCK_DRIFT_MS, counter: 7, deviceId: B });
    clock.observe(remote);
    const next = clock.next();
    expect(compareHlc(next, remote)).toBeGreaterThan(0);
    expect(parseHlc(next)).toEqual({ wallMs: 1000 + MAX_CLOCK_DRIFT_MS, counter: 8, deviceId: A });
  });

  it('ignores observed stamps older than its own', () => {
    const clock = createHlc(A, () => 5000);
    clock.next();
    clock.observe(formatHlc({ wallMs: 10, counter: 0, deviceId: B }));
    expect(parseHlc(clock.next())).toEqual({ wallMs: 5000, counter: 1, deviceId: A });
  });

  it('resumes after its persisted latest stamp', () => {
    const before = createHlc(A, () => 5000);
    before.next();
    before.next();
    const after = createHlc(A, () => 4000, before.latest());
    expect(compareHlc(after.next(), before.latest())).toBeGreaterThan(0);
  });

  it('breaks ties between devices by device id', () => {
    const a = formatHlc({ wallMs: 5, counter: 0, deviceId: A });
    const b = formatHlc({ wallMs: 5, counter: 0, deviceId: B });
    expect(compareHlc(a, b)).toBeLessThan(0);
    expect(compareHlc(b, a)).toBeGreaterThan(0);
    expect(compareHlc(a, a)).toBe(0);
  });

  it('sorts as strings exactly as (wall, counter, device) tuples', () => {
    const part = fc.record({
      wallMs: fc.integer({ min: 0, max: 99_999_999_999_999 }),
      counter: fc.integer({ min: 0, max: 999_999 }),
      deviceId: fc.constantFrom(A, B, 'device_1700000000000_zz99', 'x'),
    });
    fc.assert(
      fc.property(part, part, (p, q) => {
        const tuple =
          p.wallMs - q.wallMs ||
          p.counter - q.counter ||
          (p.deviceId < q.deviceId ? -1 : p.deviceId > q.deviceId ? 1 : 0);
        expect(Math.sign(compareHlc(formatHlc(p), formatHlc(q)))).toBe(Math.sign(tuple));
        expect(parseHlc(formatHlc(p))).toEqual(p);
      }),
    );
  });

  it('is strictly increasing across any mix of ticks, clock jumps within the bound and observations', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), delta: fc.integer({ min: -5000, max: 5000 }) }),
      fc.record({ kind: fc.constant('observe' as const), wall: fc.integer({ min: 0, max: 1_000_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let now = 500_000;
        let latestNow = now;
        const clock = createHlc(A, () => now);
        let last = clock.next();
        for (const s of steps) {
          // A step back by more than the bound is a corrected clock: the restart is tested apart.
          if (s.kind === 'tick') now = Math.max(latestNow - MAX_CLOCK_DRIFT_MS, now + s.delta);
          else clock.observe(formatHlc({ wallMs: s.wall, counter: 3, deviceId: B }));
          latestNow = Math.max(latestNow, now);
          const next = clock.next();
          expect(compareHlc(next, last)).toBeGreaterThan(0);
          expect(compareHlc(next, clock.latest())).toBe(0);
          last = next;
        }
      }),
    );
  });

  it.each([
    ['a valid stamp', `000001700000000:000000:${A}`, true],
    ['a short wall time', `1700000000000:000000:${A}`, false],
    ['a missing device', '000001700000000:000000:', false],
    ['a device with a colon', '000001700000000:000000:a:b', false],
    ['empty', '', false],
  ])('isHlc: %s', (_name, value, expected) => {
    expect(isHlc(value)).toBe(expected);
  });

  it('refuses to build invalid stamps', () => {
    expect(() => formatHlc({ wallMs: -1, counter: 0, deviceId: A })).toThrow(RangeError);
    expect(() => formatHlc({ wallMs: 1, counter: 1_000_000, deviceId: A })).toThrow(RangeError);
    expect(() => createHlc('bad id', () => 1)).toThrow(RangeError);
    expect(() => parseHlc('nope')).toThrow(RangeError);
  });
});
