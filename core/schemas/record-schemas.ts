// The stored records: one schema per collection, plus the tombstone every collection may hold.
import * as v from 'valibot';
import { isLocalDate, isTimeZone } from '../dates.ts';
import { isHlc } from '../hlc.ts';
import { isUuid } from '../ids.ts';

export const localDateSchema = v.pipe(
  v.string(),
  v.check((s: string) => isLocalDate(s), 'Expected a calendar date written YYYY-MM-DD.'),
);
export const hlcSchema = v.pipe(
  v.string(),
  v.check((s: string) => isHlc(s), 'Expected a hybrid logical clock stamp.'),
);
export const idSchema = v.pipe(
  v.string(),
  v.check((s: string) => isUuid(s), 'Expected a lowercase UUID.'),
);
export const timeZoneSchema = v.pipe(
  v.string(),
  v.check((s: string) => isTimeZone(s), 'Expected an IANA time zone.'),
);

export const taskTitleSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'The title must not be empty.'),
  v.maxLength(120, 'The title must be at most 120 characters.'),
);
export const taskPointsSchema = v.pipe(
  v.number(),
  v.integer('Points must be a whole number.'),
  v.minValue(1, 'Points must be at least 1.'),
  v.maxValue(100, 'Points must be at most 100.'),
);
export const weekdaySchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6));
/** Which weekdays a task is scheduled on (0 = Sunday); stored sorted, no repeats. */
export const weekdaysSchema = v.pipe(
  v.array(weekdaySchema),
  v.minLength(1, 'Pick at least one weekday.'),
  v.check((days) => new Set(days).size === days.length, 'Weekdays must not repeat.'),
  v.transform((days) => [...days].sort((a, b) => a - b)),
);
/**
 * How often a task is due, besides on weekdays (the kind every task had before schedules existed, and
 * still the meaning of a task without `schedule`): a number of times per week (any days of the week),
 * or every N days counted from the day it was created. Rules per kind: core/stats/schedule-rules.ts.
 */
export const taskScheduleSchema = v.variant('kind', [
  v.object({ kind: v.literal('weekdays') }),
  v.object({
    kind: v.literal('timesPerWeek'),
    times: v.pipe(
      v.number(),
      v.integer('Times per week must be a whole number.'),
      v.minValue(1, 'At least once a week.'),
      v.maxValue(7, 'At most 7 times a week.'),
    ),
  }),
  v.object({
    kind: v.literal('everyNDays'),
    days: v.pipe(
      v.number(),
      v.integer('The interval must be a whole number of days.'),
      v.minValue(1, 'At least every day.'),
      v.maxValue(365, 'At most every 365 days.'),
    ),
  }),
]);
export type TaskSchedule = v.InferOutput<typeof taskScheduleSchema>;
export const SCHEDULE_KINDS = [
  'weekdays',
  'timesPerWeek',
  'everyNDays',
] as const satisfies readonly TaskSchedule['kind'][];

export const weightUnitSchema = v.picklist(['kg', 'lb']);
export const weekStartSchema = v.picklist([0, 1]);

/** Sane human body weights, per unit: a typo (72 → 720) is rejected rather than graphed. */
export const WEIGHT_BOUNDS = { kg: { min: 20, max: 500 }, lb: { min: 44, max: 1100 } } as const;
export const weightValueSchema = v.pipe(v.number(), v.finite(), v.gtValue(0, 'A weight must be positive.'));

export const taskSchema = v.object({
  id: idSchema,
  title: taskTitleSchema,
  points: taskPointsSchema,
  /** The weekdays of a `weekdays` schedule; kept (unused) under the other kinds. */
  weekdays: weekdaysSchema,
  /** Absent on tasks written before schedules existed: those are `weekdays` tasks. */
  schedule: v.optional(taskScheduleSchema),
  /** The local date the task was created: it is not scheduled before it; `everyNDays` counts from it. */
  createdOn: localDateSchema,
  archived: v.boolean(),
  /** The local date it was archived: it is not scheduled from that day on; null while active. */
  archivedOn: v.nullable(localDateSchema),
  /** Position in the user's list (ascending; ties by id). */
  order: v.pipe(v.number(), v.finite()),
  /** The newest of `clocks`: the stamp of the last write. */
  hlc: hlcSchema,
  /**
   * Per-field stamps: concurrent edits of different fields both survive, in any arrival order
   * (last writer wins per field, not per record). `archived` covers `archived` and `archivedOn`.
   * `schedule` is absent on tasks written before schedules existed.
   */
  clocks: v.object({
    title: hlcSchema,
    points: hlcSchema,
    weekdays: hlcSchema,
    schedule: v.optional(hlcSchema),
    archived: hlcSchema,
    order: hlcSchema,
  }),
});
export type Task = v.InferOutput<typeof taskSchema>;

export const completionStatusSchema = v.picklist(['completed', 'skipped']);
export type CompletionStatus = v.InferOutput<typeof completionStatusSchema>;

export const completionSchema = v.pipe(
  v.object({
    /** `${taskId}:${date}`: one record per task and local day. */
    id: v.string(),
    taskId: idSchema,
    date: localDateSchema,
    status: completionStatusSchema,
    /** The task's points when it was completed or skipped (only completed ones score). */
    points: taskPointsSchema,
    hlc: hlcSchema,
  }),
  v.check((c) => c.id === `${c.taskId}:${c.date}`, 'A completion id is its task id, a colon and its date.'),
);
export type Completion = v.InferOutput<typeof completionSchema>;

export const weightSchema = v.pipe(
  v.object({
    /** The local date: one weight per day. */
    id: localDateSchema,
    date: localDateSchema,
    value: weightValueSchema,
    unit: weightUnitSchema,
    hlc: hlcSchema,
  }),
  v.check((w) => w.id === w.date, 'A weight is keyed by its date.'),
  v.check(
    (w) => w.value >= WEIGHT_BOUNDS[w.unit].min && w.value <= WEIGHT_BOUNDS[w.unit].max,
    'The weight is outside plausible bounds for its unit.',
  ),
);
export type Weight = v.InferOutput<typeof weightSchema>;

export const SETTINGS_ID = 'settings';

export const settingsSchema = v.object({
  id: v.literal(SETTINGS_ID),
  unit: weightUnitSchema,
  weekStart: weekStartSchema,
  timeZone: timeZoneSchema,
  hlc: hlcSchema,
  /** Per-field stamps (absent while a field still has its default), as for tasks. */
  clocks: v.object({
    unit: v.optional(hlcSchema),
    weekStart: v.optional(hlcSchema),
    timeZone: v.optional(hlcSchema),
  }),
});
export type Settings = v.InferOutput<typeof settingsSchema>;

/** The settings a user has before changing any (the client sets its time zone on first run). */
export const DEFAULT_SETTINGS = {
  id: SETTINGS_ID,
  unit: 'kg',
  weekStart: 1,
  timeZone: 'UTC',
} as const satisfies Omit<Settings, 'hlc' | 'clocks'>;

/**
 * A deleted record (an uncompleted day, a deleted weight). It keeps its clock stamp so that an older
 * write arriving late cannot bring the record back.
 */
export const tombstoneSchema = v.object({
  id: v.string(),
  hlc: hlcSchema,
  deleted: v.literal(true),
});
export type Tombstone = v.InferOutput<typeof tombstoneSchema>;

export function isTombstone(record: { hlc: string } | Tombstone): record is Tombstone {
  return 'deleted' in record && record.deleted === true;
}

// What a collection may hold: live records or tombstones (the wire carries both in deltas).
export const storedTaskSchema = v.union([tombstoneSchema, taskSchema]);
export const storedCompletionSchema = v.union([tombstoneSchema, completionSchema]);
export const storedWeightSchema = v.union([tombstoneSchema, weightSchema]);
export const storedSettingsSchema = v.union([tombstoneSchema, settingsSchema]);
