// The wire shapes of the sync protocol as the client reads them (docs/architecture.md, "Sync
// protocol"). Responses are validated at this edge so the rest of the app works with typed data.
import * as v from 'valibot';

export const COLLECTIONS = ['tasks', 'completions', 'weights', 'settings'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export const syncRecordSchema = v.looseObject({
  id: v.string(),
  hlc: v.optional(v.string()),
  deleted: v.optional(v.boolean()),
});
export type SyncRecord = v.InferOutput<typeof syncRecordSchema>;

export interface MutationEnvelope {
  id: number;
  name: string;
  args: unknown;
  hlc: string;
}

const resultErrorSchema = v.union([
  v.string(),
  v.looseObject({
    code: v.optional(v.string()),
    message: v.optional(v.string()),
    error: v.optional(v.string()),
  }),
]);

export const pushResponseSchema = v.looseObject({
  lastMutationId: v.number(),
  version: v.number(),
  results: v.optional(
    v.array(
      v.looseObject({
        id: v.number(),
        status: v.string(),
        error: v.optional(v.nullable(resultErrorSchema)),
      }),
    ),
    [],
  ),
  serverTime: v.optional(v.number()),
});
export type PushResponse = v.InferOutput<typeof pushResponseSchema>;

export const pullResponseSchema = v.looseObject({
  version: v.number(),
  changes: v.optional(v.record(v.string(), v.array(syncRecordSchema)), {}),
  reset: v.optional(v.boolean()),
  serverTime: v.optional(v.number()),
});
export type PullResponse = v.InferOutput<typeof pullResponseSchema>;

/** Statuses under which the server refused a mutation for good (it will never apply it). */
export function isRejected(status: string): boolean {
  return status === 'rejected' || status === 'error' || status === 'failed';
}

/** Refused for a stamp beyond the server's drift bound: not the user's mistake, re-stamp and resend. */
export function isClockAhead(error: v.InferOutput<typeof resultErrorSchema> | null | undefined): boolean {
  return typeof error === 'object' && error !== null && error.code === 'ClockAhead';
}

/** A human sentence for a rejection, whatever shape the server used. */
export function rejectionReason(error: v.InferOutput<typeof resultErrorSchema> | null | undefined): string {
  if (!error) return 'the server refused it';
  if (typeof error === 'string') return error;
  return error.message ?? error.code ?? error.error ?? 'the server refused it';
}
