// Canonical string keys for BSON values, used by the _id map and secondary indexes. Two values get
// the same key exactly when MongoDB's equality would treat them as equal (1, 1.0 and Long(1) alike);
// key order inside embedded documents matters, as it does for MongoDB.
import type { Document } from 'bson';

type Tagged = { _bsontype?: string } & Record<string, unknown>;

function numberKey(n: number): string {
  return Object.is(n, -0) ? 'n0' : `n${n}`;
}

function bsonKey(v: Tagged): string | undefined {
  switch (v._bsontype) {
    case 'ObjectId':
    case 'ObjectID':
      return `o${(v as unknown as { toHexString(): string }).toHexString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128': {
      const n = Number(String(v.toString()));
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? numberKey(n) : `n${String(v.toString())}`;
    }
    case 'Binary':
    case 'UUID': {
      const bin = v as unknown as { sub_type: number; buffer: Uint8Array };
      return `x${bin.sub_type}:${Buffer.from(bin.buffer).toString('base64')}`;
    }
    case 'Timestamp':
      return `t${String(v.toString())}`;
    case 'BSONRegExp':
      return `r${String(v.pattern)}/${String(v.options)}`;
    case 'MinKey':
      return 'm-';
    case 'MaxKey':
      return 'm+';
    case 'Code':
      return `c${String(v.code)}`;
    case 'BSONSymbol':
      return `s${String(v.value)}`;
    default:
      return undefined;
  }
}

export function valueKey(v: unknown): string {
  if (v === undefined || v === null) return 'N';
  switch (typeof v) {
    case 'number':
      return numberKey(v);
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? numberKey(Number(v)) : `n${v}`;
    case 'string':
      return `s${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'object':
      break;
    default:
      return `?${String(v)}`;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join('\u0001')}]`;
  const tagged = bsonKey(v as Tagged);
  if (tagged !== undefined) return tagged;
  const parts: string[] = [];
  for (const [k, val] of Object.entries(v as Document)) parts.push(`${k}\u0002${valueKey(val)}`);
  return `{${parts.join('\u0001')}}`;
}

/** Values at a dotted path, expanding arrays along the way (MongoDB's multikey semantics). */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  let current: unknown[] = [doc];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        const index = Number(part);
        if (Number.isInteger(index) && String(index) === part) next.push(value[index]);
        else
          for (const item of value) if (item && typeof item === 'object') next.push((item as Document)[part]);
      } else if (value && typeof value === 'object') {
        next.push((value as Document)[part]);
      } else {
        next.push(undefined);
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? (value.length ? value : [undefined]) : [value]));
}

export function hasPath(doc: unknown, path: string): boolean {
  return valuesAtPath(doc, path).some((value) => value !== undefined);
}
