import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OverlayMap } from '../../core/overlay-map.ts';

describe('OverlayMap', () => {
  it('reads through to its base, applies sets and deletes, and leaves the base alone', () => {
    const base = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    const map = OverlayMap.over(
      base,
      new Map<string, number | undefined>([
        ['b', undefined],
        ['c', 3],
      ]),
    );
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3]);
    expect([map.has('a'), map.has('b'), map.has('c'), map.has('z')]).toEqual([true, false, true, false]);
    expect(map.size).toBe(2);
    expect(new Map(map)).toEqual(
      new Map([
        ['c', 3],
        ['a', 1],
      ]),
    );
    expect(base).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
  });

  it('behaves like a copied Map through any stack of change sets', () => {
    const changeSet = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.option(fc.integer(), { nil: undefined })),
      {
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(fc.array(changeSet, { maxLength: 12 }), (sets) => {
        let overlay: ReadonlyMap<number, number> = new Map();
        const model = new Map<number, number>();
        for (const set of sets) {
          const changes = new Map(set);
          overlay = OverlayMap.over(overlay, changes);
          for (const [key, value] of changes) {
            if (value === undefined) model.delete(key);
            else model.set(key, value);
          }
          expect(overlay.size).toBe(model.size);
          expect(new Map([...overlay].sort((x, y) => x[0] - y[0]))).toEqual(
            new Map([...model].sort((x, y) => x[0] - y[0])),
          );
          for (let key = 0; key <= 15; key += 1) {
            expect(overlay.get(key)).toBe(model.get(key));
            expect(overlay.has(key)).toBe(model.has(key));
          }
        }
      }),
    );
  });
});
