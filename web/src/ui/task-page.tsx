// One task's page (#/tasks/<id>): its strength and chart, streaks, completion rates and a year of
// history in which any day can be marked. Loaded on first visit, as its own chunk.
import { useComputed } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { LocalDate } from '../../../core/dates.ts';
import { type TaskDay, taskStats } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { describeSchedule, formatDate, formatRate, plural } from './format.ts';
import { HistoryGrid, type MarkAction } from './history-grid.tsx';
import { LineChart } from './line-chart.tsx';
import { Stat } from './stat.tsx';

/** The first day of the month eleven months before `today`'s: twelve calendar months. */
export function historyStart(today: LocalDate): LocalDate {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 11;
  const start =
    month < 1
      ? `${year - 1}-${String(month + 12).padStart(2, '0')}`
      : `${year}-${String(month).padStart(2, '0')}`;
  return `${start}-01`;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

export function TaskPage({ app, taskId }: { app: AppModel; taskId: string }) {
  const stats = useComputed(() =>
    taskStats(app.view.value, taskId, app.today.value, historyStart(app.today.value)),
  ).value;
  const title = stats?.task.title;
  useEffect(() => {
    document.title = `${title ?? 'Task not found'} · Routine Sync`;
  }, [title]);
  if (!stats) {
    return (
      <section aria-labelledby="task-title">
        <h1 id="task-title">Task not found</h1>
        <p>
          There is no such task on this account. <a href="#/tasks">Back to your tasks</a>
        </p>
      </section>
    );
  }
  const { task, streak, rates, strength, strengthSeries } = stats;
  const today = app.today.value;
  const weekStart = app.view.value.settings.weekStart;
  const canMark = (day: TaskDay) => !task.archived && day.date >= task.createdOn && day.date <= today;
  const onMark = (date: string, action: MarkAction) => {
    void app.mutate(
      action,
      action === 'uncompleteTask' ? { taskId, date } : { taskId, date, points: task.points },
    );
  };
  const first = strengthSeries[0];
  return (
    <section aria-labelledby="task-title">
      <header class="screen-header">
        <p class="small">
          <a href="#/tasks">← All tasks</a>
        </p>
        <h1 id="task-title">{task.title}</h1>
        <p class="muted">
          {describeSchedule(task, weekStart)} · {plural(task.points, 'point')} · since{' '}
          {formatDate(task.createdOn)}
          {task.archivedOn && ` · archived ${formatDate(task.archivedOn)}`}
        </p>
      </header>
      <div class="stats">
        <Stat label="Strength" value={percent(strength)} explain="strength" />
        <Stat label="Current streak" value={plural(streak.current, 'time')} explain="taskStreak" />
        <Stat label="Best streak" value={plural(streak.best, 'time')} />
      </div>
      <LineChart
        dates={strengthSeries.map((p) => p.date)}
        series={[
          {
            label: 'Strength',
            values: strengthSeries.map((p) => Math.round(p.value * 1000) / 10),
            color: ['--accent', '#0f766e'],
            format: (v) => `${Math.round(v)}%`,
          },
        ]}
        yRange={[0, 100]}
        summary={
          first
            ? `Strength from ${formatDate(first.date)} (${percent(first.value)}) to today (${percent(strength)})`
            : 'No strength yet'
        }
      />
      <h2>Completion</h2>
      <div class="stats">
        {([7, 30, 365] as const).map((n) => {
          const rate = rates[`days${n}`];
          return (
            <Stat
              key={n}
              label={`${n}-day completion`}
              value={formatRate(rate)}
              hint={rate === null ? 'Nothing was due yet' : undefined}
            />
          );
        })}
      </div>
      <h2>History</h2>
      <HistoryGrid days={stats.history} weekStart={weekStart} canMark={canMark} onMark={onMark} />
      {task.archived && <p class="muted">Restore the task on the Tasks screen to mark its days.</p>}
    </section>
  );
}
