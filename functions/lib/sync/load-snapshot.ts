// The read endpoints' input: all of a user's live records as a core Snapshot, and the day they ask
// about. The figures themselves are core's (homeData, healthData, dashboard): the server and the
// client's reactive view compute them with the same functions.
import type { Db } from 'mongodb';
import * as v from 'valibot';
import { type LocalDate, todayIn } from '../../../core/dates.ts';
import { assertDateInRange } from '../../../core/mutations/index.ts';
import type { Change } from '../../../core/records.ts';
import { localDateSchema } from '../../../core/schemas.ts';
import { buildSnapshot, type Snapshot } from '../../../core/snapshot.ts';
import { recordsCollection, SYNCED_COLLECTIONS } from './collections.ts';

export async function loadSnapshot(db: Db, userId: string): Promise<Snapshot> {
  const lists = await Promise.all(
    SYNCED_COLLECTIONS.map(async (collection) => {
      const docs = await recordsCollection(db, collection)
        .find({ userId, deleted: { $ne: true } }, { projection: { _id: 0, userId: 0, _v: 0 } })
        .toArray();
      return docs.map((record) => ({ collection, record }) as unknown as Change);
    }),
  );
  return buildSnapshot(lists.flat());
}

/** `?date=` when given (a year ahead at most: DateOutOfRange → 400), else today in the user's zone. */
export function dayOf(snapshot: Snapshot, date: LocalDate | undefined, nowMs = Date.now()): LocalDate {
  if (date === undefined) return todayIn(snapshot.settings.timeZone, nowMs);
  assertDateInRange(date, nowMs);
  return date;
}

export const optionalDayQuerySchema = v.object({ date: v.optional(localDateSchema) });
