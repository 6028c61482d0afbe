// What each screen shows, computed from a snapshot (the read endpoints' home and health data, and
// the dashboard). The server's read endpoints and the client's reactive view call the same functions.
import { addDays, type LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { betterPercentage } from './better-percentage.ts';
import { completionRate } from './completion-rate.ts';
import { type TaskDayStatus, tasksOn } from './day-summary.ts';
import { type Points, points, totalPoints } from './points.ts';
import { type Streaks, streaks } from './streaks.ts';
import { type WeightPoint, type WeightSummary, weightSeries, weightSummary } from './weights.ts';

export interface Dashboard {
  today: LocalDate;
  points: Points;
  /** Fractions 0…1; null when nothing was due in the window. */
  completionRate: { days7: number | null; days30: number | null };
  streak: Streaks;
  betterPercent: number;
  weight: WeightSummary;
}

export function dashboard(snapshot: Snapshot, today: LocalDate): Dashboard {
  return {
    today,
    points: points(snapshot, today),
    completionRate: {
      days7: completionRate(snapshot, today, 7),
      days30: completionRate(snapshot, today, 30),
    },
    streak: streaks(snapshot, today),
    betterPercent: betterPercentage(snapshot, today),
    weight: weightSummary(snapshot, today),
  };
}

export interface HomeTask {
  id: string;
  title: string;
  /** The task's current points. */
  points: number;
  status: TaskDayStatus;
  /** Points this task earned on the day (its completion's stored points, else 0). */
  earned: number;
  archived: boolean;
  /** Offered but not due that day (a times-per-week task with quota to spare): open, it does not count. */
  optional: boolean;
}

export interface HomeData {
  date: LocalDate;
  tasks: HomeTask[];
  progress: { done: number; total: number };
  points: { day: number; total: number };
  betterPercent: number;
  streak: Streaks;
}

/** The Today screen for `date` (today, or a day the user browsed to; figures are as of `today`). */
export function homeData(snapshot: Snapshot, date: LocalDate, today: LocalDate = date): HomeData {
  const tasks = tasksOn(snapshot, date).map(
    ({ task, status, completion, optional }): HomeTask => ({
      id: task.id,
      title: task.title,
      points: task.points,
      status,
      earned: status === 'completed' ? (completion?.points ?? 0) : 0,
      archived: task.archived,
      optional,
    }),
  );
  const counted = tasks.filter((t) => !t.optional);
  return {
    date,
    tasks,
    progress: { done: counted.filter((t) => t.status !== 'open').length, total: counted.length },
    points: { day: tasks.reduce((sum, t) => sum + t.earned, 0), total: totalPoints(snapshot) },
    betterPercent: betterPercentage(snapshot, today),
    streak: streaks(snapshot, today),
  };
}

export interface HealthData extends WeightSummary {
  series: WeightPoint[];
}

/**
 * The health screen: the weights up to `today` with their trend line (all of them, or those of the
 * last `days` days; the average at the window's start still uses the days before it), and the
 * recent changes.
 */
export function healthData(snapshot: Snapshot, today: LocalDate, days?: number): HealthData {
  let series = weightSeries(snapshot, today);
  if (days !== undefined) {
    const from = addDays(today, -(days - 1));
    series = series.filter((point) => point.date >= from);
  }
  return { ...weightSummary(snapshot, today), series };
}
