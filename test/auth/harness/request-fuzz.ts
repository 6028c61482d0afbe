// fast-check arbitraries that bend a valid request: a body field replaced by any JSON value, dropped
// or added, the whole body replaced by any JSON value or by text that is not JSON, query values,
// path parameters and the mutation headers replaced by arbitrary strings. Operations are generated
// as data and applied to a request built fresh for each run (mutation ids must stay consecutive).
import fc from 'fast-check';
import type { RouteRequest } from './route-caller.ts';

type JsonObject = Record<string, unknown>;

export type BodyOp =
  | { kind: 'keep' }
  | { kind: 'replace-field'; pick: number; value: unknown }
  | { kind: 'drop-field'; pick: number }
  | { kind: 'add-field'; key: string; value: unknown }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string };

export interface RequestOps {
  body: BodyOp;
  query: { pick: number; value: string } | { replaceAll: Record<string, string> } | null;
  pathParameter: { pick: number; value: string } | null;
  header: { pick: number; value: string } | null;
}

const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const smallJson = fc.jsonValue({ maxDepth: 3 });

const bodyOp: fc.Arbitrary<BodyOp> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<BodyOp>({ kind: 'keep' }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('replace-field' as const), pick: fc.nat(), value: smallJson }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop-field' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('add-field' as const), key: text, value: smallJson }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), value: smallJson }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), text }) },
);

export const requestOps: fc.Arbitrary<RequestOps> = fc.record({
  body: bodyOp,
  query: fc.option(
    fc.oneof(
      fc.record({ pick: fc.nat(), value: text }),
      fc.record({ replaceAll: fc.dictionary(text, text, { maxKeys: 4 }) }),
    ),
  ),
  pathParameter: fc.option(fc.record({ pick: fc.nat(), value: text.filter((s) => s.length > 0) })),
  header: fc.option(fc.record({ pick: fc.nat(), value: text })),
});

function pickKey(record: object, pick: number): string | undefined {
  const keys = Object.keys(record).sort();
  return keys.length ? keys[pick % keys.length] : undefined;
}

function applyBody(body: unknown, op: BodyOp): Pick<RouteRequest, 'body' | 'rawBody'> {
  const obj: JsonObject | undefined =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as JsonObject) : undefined;
  switch (op.kind) {
    case 'keep':
      return { body };
    case 'json':
      return { body: op.value };
    case 'raw':
      return { rawBody: op.text };
    case 'add-field':
      return { body: { ...obj, [op.key]: op.value } };
    case 'replace-field':
    case 'drop-field': {
      const key = obj && pickKey(obj, op.pick);
      if (!obj || key === undefined) return { body };
      const { [key]: _dropped, ...rest } = obj;
      return { body: op.kind === 'drop-field' ? rest : { ...rest, [key]: op.value } };
    }
  }
}

function replaceOne(
  record: Record<string, string> | undefined,
  change: { pick: number; value: string } | null,
) {
  if (!record || !change) return record;
  const key = pickKey(record, change.pick);
  return key === undefined ? record : { ...record, [key]: change.value };
}

export function applyOps(base: RouteRequest, ops: RequestOps): RouteRequest {
  const { body: _b, rawBody: _r, ...rest } = base;
  const query =
    ops.query && 'replaceAll' in ops.query ? ops.query.replaceAll : replaceOne(base.query, ops.query);
  return {
    ...rest,
    ...applyBody(base.body, ops.body),
    ...(query ? { query } : {}),
    ...(base.pathParameters ? { pathParameters: replaceOne(base.pathParameters, ops.pathParameter) } : {}),
    ...(base.headers ? { headers: replaceOne(base.headers, ops.header) } : {}),
  };
}
