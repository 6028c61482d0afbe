// The domain core on ten years of one user's data (20 tasks of every schedule kind, 3,650 days,
// ~50,000 completions, 3,650 weights): the full dashboard and a task page (the oldest task's figures)
// from a fresh snapshot, and what a tap costs on the client (apply one mutation over base, advance the
// snapshot, recompute the Today screen).
import { cpus, loadavg } from 'node:os';
import { addDays, type LocalDate } from '../core/dates.ts';
import { createHlc } from '../core/hlc.ts';
import { applyMutation } from '../core/mutations/index.ts';
import { type Change, completionId } from '../core/records.ts';
import type { Task, TaskSchedule } from '../core/schemas/record-schemas.ts';
import { buildSnapshot, type Snapshot, snapshotWith } from '../core/snapshot.ts';
import { dashboard, healthData, homeData, taskStats, tasksOn } from '../core/stats/index.ts';
import { MemoryTx } from '../core/store.ts';
import type { BenchResult } from './lib/result.ts';

const TODAY: LocalDate = '2026-11-28';
const DAYS = 3650;
const TASKS = 20;
const DEVICE = 'device_1700000000000_bench';
const NOW_MS = Date.UTC(2026, 10, 28, 12);

/** A small deterministic generator, so every run measures the same data. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function tenYears(): Change[] {
  const random = lcg(42);
  const clock = createHlc(DEVICE, () => NOW_MS - 1e9);
  const first = addDays(TODAY, -(DAYS - 1));
  const changes: Change[] = [];
  const tasks: Task[] = [];
  for (let i = 0; i < TASKS; i += 1) {
    const hlc = clock.next();
    const weekdays = i % 4 === 0 ? [1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6];
    const createdOn = addDays(first, i * 30);
    const schedule: TaskSchedule = [
      { kind: 'weekdays' as const },
      { kind: 'timesPerWeek' as const, times: 3 },
      { kind: 'everyNDays' as const, days: 2 },
      { kind: 'weekdays' as const },
    ][i % 4] ?? { kind: 'weekdays' };
    const task: Task = {
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      title: `Task ${i}`,
      points: 1 + (i % 10),
      weekdays,
      schedule,
      createdOn,
      archived: false,
      archivedOn: null,
      order: i,
      hlc,
      clocks: { title: hlc, points: hlc, weekdays: hlc, schedule: hlc, archived: hlc, order: hlc },
    };
    tasks.push(task);
    changes.push({ collection: 'tasks', record: task });
  }
  for (let d = 0; d < DAYS; d += 1) {
    const date = addDays(first, d);
    for (const task of tasksOn(buildSnapshot(changes.slice(0, TASKS)), date).map((t) => t.task)) {
      const roll = random();
      if (roll > 0.78) continue; // left open
      const status = roll > 0.72 ? 'skipped' : 'completed';
      changes.push({
        collection: 'completions',
        record: {
          id: completionId(task.id, date),
          taskId: task.id,
          date,
          status,
          points: task.points,
          hlc: clock.next(),
        },
      });
    }
    const value = Math.round((80 + 5 * Math.sin(d / 90) + random() * 2) * 10) / 10;
    changes.push({ collection: 'weights', record: { id: date, date, value, unit: 'kg', hlc: clock.next() } });
  }
  return changes;
}

interface Timing {
  median: number;
  p95: number;
  /** Median CPU time of this process: less inflated than wall time when the machine is shared. */
  cpuMedian: number;
}

function time(runs: number, fn: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
  }
  const pick = (samples: number[], p: number) => {
    samples.sort((a, b) => a - b);
    return samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? Number.NaN;
  };
  return { median: pick(wall, 0.5), p95: pick(wall, 0.95), cpuMedian: pick(cpu, 0.5) };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export async function run(): Promise<BenchResult> {
  const records = tenYears();
  const completions = records.filter((c) => c.collection === 'completions').length;
  const weights = records.filter((c) => c.collection === 'weights').length;

  const build = time(20, () => buildSnapshot(records));
  const snapshots: Snapshot[] = Array.from({ length: 30 }, () => buildSnapshot(records));
  let next = 0;
  const coldDashboard = time(30, () => dashboard(snapshots[next++] as Snapshot, TODAY));
  const buildAndDashboard = time(10, () => dashboard(buildSnapshot(records), TODAY));
  // The task page of the oldest task (created ten years ago), a 3-a-week one, each on a fresh snapshot.
  const oldest = buildSnapshot(records).tasks[1] as Task;
  const pages = Array.from({ length: 30 }, () => buildSnapshot(records));
  let page = 0;
  const taskPage = time(30, () => taskStats(pages[page++] as Snapshot, oldest.id, TODAY));

  // The client: base is warm (figures already shown); a tap replays the outbox entry over it.
  const base = buildSnapshot(records);
  dashboard(base, TODAY);
  homeData(base, TODAY);
  const clock = createHlc('device_1700000000000_tap', () => NOW_MS);
  const tasks = base.tasks;
  let i = 0;
  const tap = time(500, () => {
    const task = tasks[i++ % tasks.length] as Task;
    const tx = new MemoryTx(base);
    applyMutation(
      tx,
      { name: 'completeTask', args: { taskId: task.id, date: TODAY }, hlc: clock.next() },
      { deviceId: DEVICE, nowMs: NOW_MS },
    );
    homeData(snapshotWith(base, tx.changes()), TODAY);
  });
  // A device that was offline for a while: 30 queued marks replayed over base on every tap.
  const queued = Array.from({ length: 30 }, (_, k) => ({
    name: 'completeTask',
    args: { taskId: (tasks[k % tasks.length] as Task).id, date: addDays(TODAY, -(k % 7)) },
    hlc: clock.next(),
  }));
  const offlineTap = time(200, () => {
    const tx = new MemoryTx(base);
    for (const call of queued) applyMutation(tx, call, { deviceId: DEVICE, nowMs: NOW_MS });
    homeData(snapshotWith(base, tx.changes()), TODAY);
  });
  const tapDashboard = time(200, () => {
    const tx = new MemoryTx(base);
    applyMutation(
      tx,
      { name: 'logWeight', args: { date: TODAY, value: 79.5, unit: 'kg' }, hlc: clock.next() },
      { deviceId: DEVICE, nowMs: NOW_MS },
    );
    const view = snapshotWith(base, tx.changes());
    dashboard(view, TODAY);
    healthData(view, TODAY);
  });

  return {
    name: 'core',
    metrics: {
      completions: { value: completions, unit: 'records' },
      weights: { value: weights, unit: 'records' },
      build_snapshot_median: { value: round(build.median), unit: 'ms' },
      build_snapshot_cpu_median: { value: round(build.cpuMedian), unit: 'ms cpu' },
      dashboard_10y_fresh_snapshot_median: { value: round(coldDashboard.median), unit: 'ms', target: '≤ 50' },
      dashboard_10y_fresh_snapshot_p95: { value: round(coldDashboard.p95), unit: 'ms', target: '≤ 50' },
      dashboard_10y_fresh_snapshot_cpu_median: { value: round(coldDashboard.cpuMedian), unit: 'ms cpu' },
      task_page_10y_fresh_snapshot_median: { value: round(taskPage.median), unit: 'ms', target: '≤ 50' },
      task_page_10y_fresh_snapshot_cpu_median: { value: round(taskPage.cpuMedian), unit: 'ms cpu' },
      build_plus_dashboard_10y_median: { value: round(buildAndDashboard.median), unit: 'ms' },
      mutation_plus_today_median: { value: round(tap.median), unit: 'ms', target: '≤ 2' },
      mutation_plus_today_p95: { value: round(tap.p95), unit: 'ms', target: '≤ 2' },
      mutation_plus_today_cpu_median: { value: round(tap.cpuMedian), unit: 'ms cpu' },
      rebase_30_pending_plus_today_median: { value: round(offlineTap.median), unit: 'ms' },
      rebase_30_pending_plus_today_cpu_median: { value: round(offlineTap.cpuMedian), unit: 'ms cpu' },
      weight_plus_dashboard_and_health_median: { value: round(tapDashboard.median), unit: 'ms' },
      load_average_1m: { value: Math.round(loadavg()[0] ?? 0), unit: 'runnable' },
      cpu_cores: { value: cpus().length, unit: 'cores' },
    },
  };
}
