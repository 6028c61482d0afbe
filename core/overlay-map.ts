// A read-only map that is another map plus a few changes, without copying the other map.
//
// Snapshots advance by a handful of records at a time over indexes of thousands of entries; copying
// those indexes on every tap would cost more than everything else the tap does. Overlays stack, and
// once MAX_DEPTH of them stack up the next one flattens the lot into a plain Map, so reads stay O(1).
const MAX_DEPTH = 4;
const DELETED: unique symbol = Symbol('deleted');

export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #own: ReadonlyMap<K, V | typeof DELETED>;
  readonly #depth: number;
  #size: number | undefined;

  private constructor(base: ReadonlyMap<K, V>, own: ReadonlyMap<K, V | typeof DELETED>, depth: number) {
    this.#base = base;
    this.#own = own;
    this.#depth = depth;
  }

  /** `base` with `changes` applied (`undefined` deletes the key). `base` is never modified. */
  static over<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | undefined>): ReadonlyMap<K, V> {
    const depth = base instanceof OverlayMap ? base.#depth + 1 : 1;
    if (depth > MAX_DEPTH) {
      const flat = new Map(base);
      for (const [key, value] of changes) {
        if (value === undefined) flat.delete(key);
        else flat.set(key, value);
      }
      return flat;
    }
    const own = new Map<K, V | typeof DELETED>();
    for (const [key, value] of changes) own.set(key, value === undefined ? DELETED : value);
    return new OverlayMap(base, own, depth);
  }

  get(key: K): V | undefined {
    const own = this.#own.get(key);
    if (own === DELETED) return undefined;
    return own !== undefined ? own : this.#base.get(key);
  }

  has(key: K): boolean {
    const own = this.#own.get(key);
    if (own !== undefined) return own !== DELETED;
    return this.#base.has(key);
  }

  get size(): number {
    if (this.#size === undefined) {
      let size = 0;
      for (const _ of this.keys()) size += 1;
      this.#size = size;
    }
    return this.#size;
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#own) if (value !== DELETED) yield [key, value];
    for (const [key, value] of this.#base) if (!this.#own.has(key)) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
