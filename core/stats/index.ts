// Derived figures: pure functions of a snapshot, never stored, so devices cannot disagree on them.
export { betterPercentage, dayFactor } from './better-percentage.ts';
export { completionRate } from './completion-rate.ts';
export {
  computeDay,
  type DaySummary,
  firstTaskDay,
  isDayDone,
  type TaskDayStatus,
  type TaskOnDay,
  tasksOn,
  tasksScheduledOn,
} from './day-summary.ts';
export { type Points, points, weekPoints } from './points.ts';
export { frequencyOf, isDue, scheduleOf, scheduleRow } from './schedule-rules.ts';
export {
  type Dashboard,
  dashboard,
  type HealthData,
  type HomeData,
  type HomeTask,
  healthData,
  homeData,
} from './screens.ts';
export { daySummary, totalPoints } from './stats-cache.ts';
export { type Streaks, streaks } from './streaks.ts';
export { nextStrength, strengthMultiplier } from './strength.ts';
export {
  type StrengthPoint,
  type TaskDay,
  type TaskDayState,
  type TaskStats,
  taskDayStates,
  taskStats,
} from './task-stats.ts';
export { type WeekFigures, weeklyFigures } from './weekly.ts';
export {
  convertWeight,
  type WeightPoint,
  type WeightSummary,
  type WeightUnit,
  weightSeries,
  weightSummary,
} from './weights.ts';
