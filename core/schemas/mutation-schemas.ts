// The arguments of each shared mutation, validated on the client before the optimistic apply and
// again on the server before the authoritative one.
import * as v from 'valibot';
import {
  idSchema,
  localDateSchema,
  taskPointsSchema,
  taskScheduleSchema,
  taskTitleSchema,
  timeZoneSchema,
  WEIGHT_BOUNDS,
  weekdaysSchema,
  weekStartSchema,
  weightUnitSchema,
  weightValueSchema,
} from './record-schemas.ts';

export const createTaskArgsSchema = v.object({
  id: idSchema,
  title: taskTitleSchema,
  points: taskPointsSchema,
  weekdays: weekdaysSchema,
  /** Omitted by clients that predate schedules: a `weekdays` task. */
  schedule: v.optional(taskScheduleSchema, () => ({ kind: 'weekdays' as const })),
  /** The client's local date when the task was created. */
  createdOn: localDateSchema,
  /** Position in the list; the client passes one past its current largest. */
  order: v.pipe(v.number(), v.finite()),
});
export type CreateTaskArgs = v.InferOutput<typeof createTaskArgsSchema>;

export const editTaskArgsSchema = v.pipe(
  v.object({
    id: idSchema,
    title: v.optional(taskTitleSchema),
    points: v.optional(taskPointsSchema),
    weekdays: v.optional(weekdaysSchema),
    /** Weekdays without a schedule (an older client) mean a `weekdays` schedule. */
    schedule: v.optional(taskScheduleSchema),
  }),
  v.check(
    (a) =>
      a.title !== undefined || a.points !== undefined || a.weekdays !== undefined || a.schedule !== undefined,
    'Change at least one of title, points, weekdays or schedule.',
  ),
);
export type EditTaskArgs = v.InferOutput<typeof editTaskArgsSchema>;

export const archiveTaskArgsSchema = v.object({
  id: idSchema,
  /** The client's local date: the task stops being scheduled from this day on. */
  date: localDateSchema,
  /** false restores an archived task. */
  archived: v.optional(v.boolean(), true),
});
export type ArchiveTaskArgs = v.InferOutput<typeof archiveTaskArgsSchema>;

export const reorderTasksArgsSchema = v.object({
  /** Task ids in their new order; each gets `order = index`. */
  ids: v.pipe(
    v.array(idSchema),
    v.minLength(1),
    v.maxLength(500),
    v.check((ids) => new Set(ids).size === ids.length, 'Task ids must not repeat.'),
  ),
});
export type ReorderTasksArgs = v.InferOutput<typeof reorderTasksArgsSchema>;

/** uncompleteTask names a task and a local day. */
export const taskDayArgsSchema = v.object({ taskId: idSchema, date: localDateSchema });
export type TaskDayArgs = v.InferOutput<typeof taskDayArgsSchema>;

/** completeTask and skipTask: a task, a local day, and the points the user saw on it. */
export const completeTaskArgsSchema = v.object({
  taskId: idSchema,
  date: localDateSchema,
  /**
   * The task's points as shown when the user acted. Pass it: it makes the stored points independent of
   * an edit of the task's points racing with this mark. When absent, the task's current points are used.
   */
  points: v.optional(taskPointsSchema),
});
export type CompleteTaskArgs = v.InferOutput<typeof completeTaskArgsSchema>;

export const logWeightArgsSchema = v.pipe(
  v.object({ date: localDateSchema, value: weightValueSchema, unit: weightUnitSchema }),
  v.check(
    (a) => a.value >= WEIGHT_BOUNDS[a.unit].min && a.value <= WEIGHT_BOUNDS[a.unit].max,
    'The weight is outside plausible bounds for its unit.',
  ),
);
export type LogWeightArgs = v.InferOutput<typeof logWeightArgsSchema>;

export const deleteWeightArgsSchema = v.object({ date: localDateSchema });
export type DeleteWeightArgs = v.InferOutput<typeof deleteWeightArgsSchema>;

export const updateSettingsArgsSchema = v.pipe(
  v.object({
    unit: v.optional(weightUnitSchema),
    weekStart: v.optional(weekStartSchema),
    timeZone: v.optional(timeZoneSchema),
  }),
  v.check(
    (a) => a.unit !== undefined || a.weekStart !== undefined || a.timeZone !== undefined,
    'Change at least one setting.',
  ),
);
export type UpdateSettingsArgs = v.InferOutput<typeof updateSettingsArgsSchema>;
