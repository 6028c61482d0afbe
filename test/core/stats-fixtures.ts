// Declarative worlds for the stats tests: tasks, marks and weights written as records directly.
import { addDays, type LocalDate } from '../../core/dates.ts';
import { type Change, completionId } from '../../core/records.ts';
import type { CompletionStatus, Task, TaskSchedule } from '../../core/schemas/record-schemas.ts';
import { buildSnapshot, type Snapshot } from '../../core/snapshot.ts';
import { taskId } from './fixtures.ts';

const HLC = '000001700000000:000000:device_1700000000000_test';
export const DAILY = [0, 1, 2, 3, 4, 5, 6] as Task['weekdays'];

export interface TaskSpec {
  n: number;
  createdOn: LocalDate;
  weekdays?: number[];
  /** Left out: a task as written before schedules existed. */
  schedule?: TaskSchedule;
  points?: number;
  archivedOn?: LocalDate;
}

export interface World {
  tasks: TaskSpec[];
  /** [task n, date, status, points?] */
  marks?: Array<[number, LocalDate, CompletionStatus, number?]>;
  weights?: Array<[LocalDate, number, ('kg' | 'lb')?]>;
  settings?: { unit?: 'kg' | 'lb'; weekStart?: 0 | 1 };
}

export function taskRecord(spec: TaskSpec): Task {
  return {
    id: taskId(spec.n),
    title: `Task ${spec.n}`,
    points: spec.points ?? 10,
    weekdays: (spec.weekdays ?? DAILY) as Task['weekdays'],
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
    createdOn: spec.createdOn,
    archived: spec.archivedOn !== undefined,
    archivedOn: spec.archivedOn ?? null,
    order: spec.n,
    hlc: HLC,
    clocks: { title: HLC, points: HLC, weekdays: HLC, archived: HLC, order: HLC },
  };
}

export function worldRecords(world: World): Change[] {
  const changes: Change[] = world.tasks.map((spec) => ({ collection: 'tasks', record: taskRecord(spec) }));
  const pointsOf = new Map(world.tasks.map((t) => [t.n, t.points ?? 10]));
  for (const [n, date, status, points] of world.marks ?? []) {
    changes.push({
      collection: 'completions',
      record: {
        id: completionId(taskId(n), date),
        taskId: taskId(n),
        date,
        status,
        points: points ?? pointsOf.get(n) ?? 10,
        hlc: HLC,
      },
    });
  }
  for (const [date, value, unit] of world.weights ?? []) {
    changes.push({ collection: 'weights', record: { id: date, date, value, unit: unit ?? 'kg', hlc: HLC } });
  }
  if (world.settings) {
    changes.push({
      collection: 'settings',
      record: {
        id: 'settings',
        unit: world.settings.unit ?? 'kg',
        weekStart: world.settings.weekStart ?? 1,
        timeZone: 'UTC',
        hlc: HLC,
        clocks: {},
      },
    });
  }
  return changes;
}

export function worldSnapshot(world: World): Snapshot {
  return buildSnapshot(worldRecords(world));
}

/** Marks for task `n` on each of `count` days ending at `last`. */
export function run(n: number, last: LocalDate, count: number, status: CompletionStatus = 'completed') {
  return Array.from(
    { length: count },
    (_, i) => [n, addDays(last, -i), status] as [number, LocalDate, CompletionStatus],
  );
}
