// Which mutations bring an export file into an account: the import goes through the same mutations as
// any edit, so it is validated the same way and syncs to every device. The merge rule, per record
// and per field: the file's value is taken only where the account has none, or where the file's stamp
// is newer and the value differs. So importing the same file twice changes nothing, and an old
// backup never overwrites newer edits (docs/architecture.md, "Export and import").
import { compareHlc, createHlc } from '../hlc.ts';
import { applyMutation, type MutationArgs, type MutationName, parseMutation } from '../mutations/index.ts';
import type { StoredRecord } from '../records.ts';
import {
  type Completion,
  isTombstone,
  SETTINGS_ID,
  type Settings,
  type Task,
  type Weight,
} from '../schemas/record-schemas.ts';
import { MemoryTx, type ReadStore } from '../store.ts';
import type { ExportFile } from './export-format.ts';

export type PlannedMutation = { [N in MutationName]: { name: N; args: MutationArgs<N> } }[MutationName];

export type ImportPlan = { ok: true; mutations: PlannedMutation[] } | { ok: false; error: string };

/** Whether the file's stamp `incoming` beats the account's `current` (absent loses to anything). */
function isNewer(incoming: string | undefined, current: string | undefined): boolean {
  return incoming !== undefined && (current === undefined || compareHlc(incoming, current) > 0);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The mutations that merge `file` into the account `current`, checked by applying them in memory. */
export function planImport(file: ExportFile, current: ReadStore, nowMs: number): ImportPlan {
  const missing = file.completions.find((c) => !hasTask(file, current, c.taskId));
  if (missing)
    return {
      ok: false,
      error: `completions ${missing.id}: its task is neither in the file nor the account.`,
    };
  const archives: PlannedMutation[] = [];
  const mutations: PlannedMutation[] = [];
  for (const task of file.tasks)
    mutations.push(...taskMutations(task, current.get('tasks', task.id), archives));
  for (const c of file.completions)
    mutations.push(...completionMutations(c, current.get('completions', c.id)));
  for (const w of file.weights) mutations.push(...weightMutations(w, current.get('weights', w.id)));
  if (file.settings)
    mutations.push(...settingsMutations(file.settings, current.get('settings', SETTINGS_ID)));
  // Archive last: an archived task takes no new marks, so its history goes in first.
  mutations.push(...archives);
  const error = firstFailure(mutations, current, nowMs);
  return error ? { ok: false, error } : { ok: true, mutations };
}

function hasTask(file: ExportFile, current: ReadStore, taskId: string): boolean {
  if (file.tasks.some((t) => t.id === taskId)) return true;
  const task = current.get('tasks', taskId);
  return task !== undefined && !isTombstone(task);
}

function taskMutations(task: Task, stored: StoredRecord<'tasks'> | undefined, archives: PlannedMutation[]) {
  const schedule = task.schedule ?? { kind: 'weekdays' as const };
  if (!stored || isTombstone(stored)) {
    if (task.archived) archives.push(archiveOf(task));
    const { id, title, points, weekdays, createdOn, order } = task;
    return [
      { name: 'createTask', args: { id, title, points, weekdays, schedule, createdOn, order } } as const,
    ];
  }
  const cur = stored;
  const take = (field: keyof Task['clocks'], differs: boolean) =>
    differs && isNewer(task.clocks[field], cur.clocks[field]);
  const edit: MutationArgs<'editTask'> = { id: task.id };
  if (take('title', task.title !== cur.title)) edit.title = task.title;
  if (take('points', task.points !== cur.points)) edit.points = task.points;
  if (take('weekdays', !sameJson(task.weekdays, cur.weekdays))) edit.weekdays = task.weekdays;
  if (take('schedule', !sameJson(schedule, cur.schedule ?? { kind: 'weekdays' }))) edit.schedule = schedule;
  if (take('archived', task.archived !== cur.archived || task.archivedOn !== cur.archivedOn)) {
    archives.push(archiveOf(task));
  }
  return Object.keys(edit).length > 1 ? [{ name: 'editTask', args: edit } as const] : [];
}

function archiveOf(task: Task): PlannedMutation {
  return {
    name: 'archiveTask',
    args: { id: task.id, date: task.archivedOn ?? task.createdOn, archived: task.archived },
  };
}

function completionMutations(c: Completion, stored: StoredRecord<'completions'> | undefined) {
  if (stored) {
    if (!isNewer(c.hlc, stored.hlc)) return [];
    if (!isTombstone(stored) && stored.status === c.status && stored.points === c.points) return [];
  }
  const args = { taskId: c.taskId, date: c.date, points: c.points };
  return [{ name: c.status === 'completed' ? 'completeTask' : 'skipTask', args } as PlannedMutation];
}

function weightMutations(w: Weight, stored: StoredRecord<'weights'> | undefined) {
  if (stored) {
    if (!isNewer(w.hlc, stored.hlc)) return [];
    if (!isTombstone(stored) && stored.value === w.value && stored.unit === w.unit) return [];
  }
  return [{ name: 'logWeight', args: { date: w.date, value: w.value, unit: w.unit } } as const];
}

function settingsMutations(s: Settings, stored: StoredRecord<'settings'> | undefined) {
  const cur = stored && !isTombstone(stored) ? stored : undefined;
  const args: MutationArgs<'updateSettings'> = {};
  for (const field of ['unit', 'weekStart', 'timeZone'] as const) {
    if (s[field] !== cur?.[field] && isNewer(s.clocks[field], cur?.clocks[field])) {
      Object.assign(args, { [field]: s[field] });
    }
  }
  return Object.keys(args).length > 0 ? [{ name: 'updateSettings', args } as const] : [];
}

/** Apply the plan in memory over the account; the first refusal, described, or undefined. */
function firstFailure(mutations: PlannedMutation[], current: ReadStore, nowMs: number): string | undefined {
  const clock = createHlc('import-check', () => nowMs);
  const tx = new MemoryTx(current);
  for (const m of mutations) {
    try {
      for (const key of parseMutation(m).reads) {
        const record = tx.get(key.collection, key.id);
        if (record) clock.observe(record.hlc);
      }
      applyMutation(tx, { ...m, hlc: clock.next() }, { deviceId: 'import-check', nowMs });
    } catch (error) {
      return `${describe(m)}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return undefined;
}

function describe(m: PlannedMutation): string {
  const args = m.args as { id?: string; taskId?: string; date?: string };
  if (args.taskId) return `completions ${args.taskId}:${args.date}`;
  if (m.name === 'logWeight') return `weights ${args.date}`;
  if (m.name === 'updateSettings') return 'settings';
  return `tasks ${args.id}`;
}
