// Request schemas of the sync endpoints that core's protocol types do not cover (the seed's four and
// the pull query). Query strings arrive as strings, so numbers and lists are parsed here.
import * as v from 'valibot';
import { SYNCED_COLLECTIONS } from './collections.ts';

export const deviceIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'A device id is 1-64 letters, digits, "_" or "-"'),
);

const collectionSchema = v.picklist(SYNCED_COLLECTIONS, `Collections are ${SYNCED_COLLECTIONS.join(', ')}`);

export const collectionsSchema = v.pipe(v.array(collectionSchema), v.maxLength(SYNCED_COLLECTIONS.length));

/** `a,b` in a query string → a list of known collections, without repeats. */
export const collectionsQuerySchema = v.pipe(
  v.string(),
  v.transform((raw) => [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]),
  collectionsSchema,
);

export const versionQuerySchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}$/, 'A version is a non-negative integer'),
  v.transform(Number),
);

export const versionSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

export const deviceQuerySchema = v.object({ deviceId: deviceIdSchema });

export const deviceBodySchema = v.object({ deviceId: deviceIdSchema });

export const markSyncedBodySchema = v.object({
  deviceId: deviceIdSchema,
  version: v.optional(versionSchema),
});

export const notifyChangeBodySchema = v.object({
  sourceDeviceId: deviceIdSchema,
  collections: v.optional(collectionsSchema),
});

export const pullQuerySchema = v.object({
  since: v.optional(versionQuerySchema, '0'),
  collections: v.optional(collectionsQuerySchema),
});
