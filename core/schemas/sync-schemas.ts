// The sync protocol's messages (docs/architecture.md, "Sync protocol").
import * as v from 'valibot';
import { isHlc } from '../hlc.ts';
import { isDeviceId } from '../ids.ts';
import { COLLECTIONS } from '../records.ts';
import {
  hlcSchema,
  localDateSchema,
  storedCompletionSchema,
  storedSettingsSchema,
  storedTaskSchema,
  storedWeightSchema,
} from './record-schemas.ts';

export const deviceIdSchema = v.pipe(
  v.string(),
  v.check((s: string) => isDeviceId(s), 'Expected a device id like device_<timestamp>_<random>.'),
);
export const collectionNameSchema = v.picklist(COLLECTIONS);
export const collectionsSchema = v.array(collectionNameSchema);
const versionSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const mutationIdSchema = v.pipe(v.number(), v.integer(), v.minValue(1));
/**
 * The server's clock (ms since the epoch) when it answered: clients estimate their clock's offset
 * from it and stamp with the corrected clock (docs/architecture.md, "Clocks").
 */
const serverTimeSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)));

/** Query strings arrive as strings: "12" → 12. */
const versionParamSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}$/, 'Expected a non-negative integer.'),
  v.transform(Number),
);
/** "tasks,weights" → ['tasks', 'weights']. */
const collectionsParamSchema = v.pipe(
  v.string(),
  v.transform((s) => s.split(',').filter((part) => part.length > 0)),
  collectionsSchema,
);

// --- mutations ---------------------------------------------------------------------------------

/**
 * One queued mutation. `name` and `args` are checked by `applyMutation`, not here, so that one bad
 * mutation is rejected on its own instead of failing the whole push.
 */
export const mutationEnvelopeSchema = v.object({
  id: mutationIdSchema,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  args: v.unknown(),
  hlc: hlcSchema,
});
export type MutationEnvelope = v.InferOutput<typeof mutationEnvelopeSchema>;

export const pushRequestSchema = v.object({
  deviceId: deviceIdSchema,
  mutations: v.pipe(v.array(mutationEnvelopeSchema), v.maxLength(1000)),
});
export type PushRequest = v.InferOutput<typeof pushRequestSchema>;

export const mutationStatusSchema = v.picklist(['applied', 'duplicate', 'rejected']);
export type MutationStatus = v.InferOutput<typeof mutationStatusSchema>;

export const wireErrorSchema = v.object({ code: v.string(), message: v.string() });

export const mutationResultSchema = v.object({
  id: mutationIdSchema,
  status: mutationStatusSchema,
  error: v.optional(wireErrorSchema),
});
export type MutationResult = v.InferOutput<typeof mutationResultSchema>;

/** The metadata per-mutation endpoints carry in `x-device-id`, `x-mutation-id`, `x-hlc` headers. */
export const mutationHeadersSchema = v.object({
  'x-device-id': deviceIdSchema,
  'x-mutation-id': v.pipe(v.string(), v.regex(/^[1-9]\d{0,15}$/), v.transform(Number)),
  'x-hlc': v.pipe(
    v.string(),
    v.check((s: string) => isHlc(s), 'Expected a hybrid logical clock stamp.'),
  ),
});
export type MutationHeaders = v.InferOutput<typeof mutationHeadersSchema>;

/** What a per-mutation endpoint answers. */
export const singleMutationResponseSchema = v.object({
  version: versionSchema,
  status: mutationStatusSchema,
  error: v.optional(wireErrorSchema),
});
export type SingleMutationResponse = v.InferOutput<typeof singleMutationResponseSchema>;

// --- pull and poke -----------------------------------------------------------------------------

/** `GET /api/sync/pull?since=V&collections=a,b` as the raw query strings. */
export const pullQuerySchema = v.object({
  since: v.optional(versionParamSchema, '0'),
  collections: v.optional(collectionsParamSchema),
});
export type PullQuery = v.InferOutput<typeof pullQuerySchema>;

export const changesSchema = v.object({
  tasks: v.optional(v.array(storedTaskSchema)),
  completions: v.optional(v.array(storedCompletionSchema)),
  weights: v.optional(v.array(storedWeightSchema)),
  settings: v.optional(v.array(storedSettingsSchema)),
});
export type Changes = v.InferOutput<typeof changesSchema>;

export const pullResponseSchema = v.object({
  version: versionSchema,
  changes: changesSchema,
  /** The server no longer knows what this device has: drop local base and take this as a full snapshot. */
  reset: v.optional(v.boolean()),
  serverTime: serverTimeSchema,
});
export type PullResponse = v.InferOutput<typeof pullResponseSchema>;

/**
 * The records one commit wrote, as a pull of exactly `(fromVersion, toVersion]` would bring them: a
 * device whose every collection stands at `fromVersion` applies them instead of pulling.
 */
export const streamedChangesSchema = v.object({
  fromVersion: versionSchema,
  toVersion: versionSchema,
  changes: changesSchema,
});
export type StreamedChanges = v.InferOutput<typeof streamedChangesSchema>;

/**
 * The push's answer. `stream`: the records its one commit wrote, when it committed exactly one
 * version that fits a poke; the device that stands at `fromVersion` applies them and need not pull
 * its own change back (the other devices get the same records in their poke).
 */
export const pushResponseSchema = v.object({
  lastMutationId: v.pipe(v.number(), v.integer(), v.minValue(0)),
  version: versionSchema,
  results: v.array(mutationResultSchema),
  stream: v.optional(streamedChangesSchema),
  serverTime: serverTimeSchema,
});
export type PushResponse = v.InferOutput<typeof pushResponseSchema>;

/**
 * A poke stays under this many bytes of JSON with its records; a larger commit is announced without
 * them. API Gateway's WebSocket frames are at most 32 KB (a message up to 128 KB is split into
 * frames), and a bound well inside one frame leaves room for the envelope.
 */
export const STREAMED_POKE_MAX_BYTES = 24 * 1024;

export const pokeSchema = v.object({
  type: v.literal('poke'),
  version: versionSchema,
  collections: collectionsSchema,
  stream: v.optional(streamedChangesSchema),
});
export type Poke = v.InferOutput<typeof pokeSchema>;

// --- the compatibility endpoints (docs/rules.md) ------------------------------------------------

export const checkUpdateQuerySchema = v.object({ deviceId: deviceIdSchema });
export type CheckUpdateQuery = v.InferOutput<typeof checkUpdateQuerySchema>;
export const checkUpdateResponseSchema = v.object({
  needsUpdate: v.boolean(),
  /** ISO 8601 instant of the device's last completed sync; null before the first. */
  lastSync: v.nullable(v.string()),
  version: versionSchema,
  collections: collectionsSchema,
  serverTime: serverTimeSchema,
});
export type CheckUpdateResponse = v.InferOutput<typeof checkUpdateResponseSchema>;

export const markUpdateRequestSchema = v.object({ deviceId: deviceIdSchema });
export type MarkUpdateRequest = v.InferOutput<typeof markUpdateRequestSchema>;
export const markUpdateResponseSchema = v.object({ ok: v.literal(true) });
export type MarkUpdateResponse = v.InferOutput<typeof markUpdateResponseSchema>;

export const markSyncedRequestSchema = v.object({
  deviceId: deviceIdSchema,
  /** The version the device has pulled up to; the device stays flagged if it is still behind. */
  version: v.optional(versionSchema),
});
export type MarkSyncedRequest = v.InferOutput<typeof markSyncedRequestSchema>;
export const markSyncedResponseSchema = v.object({
  ok: v.literal(true),
  lastSync: v.string(),
  needsUpdate: v.boolean(),
});
export type MarkSyncedResponse = v.InferOutput<typeof markSyncedResponseSchema>;

export const notifyChangeRequestSchema = v.object({
  sourceDeviceId: deviceIdSchema,
  collections: v.optional(collectionsSchema),
});
export type NotifyChangeRequest = v.InferOutput<typeof notifyChangeRequestSchema>;
export const notifyChangeResponseSchema = v.object({
  ok: v.literal(true),
  version: versionSchema,
  /** How many other devices were flagged. */
  notified: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type NotifyChangeResponse = v.InferOutput<typeof notifyChangeResponseSchema>;

// --- read endpoints (home, health, dashboard) --------------------------------------------------

/** `?date=YYYY-MM-DD`: the client's local day (the server never decides what today is). */
export const readDayQuerySchema = v.object({ date: localDateSchema });
export type ReadDayQuery = v.InferOutput<typeof readDayQuerySchema>;
