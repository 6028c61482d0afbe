// Dashboard: points, consistency, week-by-week charts and weight (the figures of docs/rules.md), all
// derived from the rebased view.
import { useComputed } from '@preact/signals';
import { dashboard } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { formatPercent, formatRate, plural } from './format.ts';
import { Stat, WeightStats } from './stat.tsx';
import { WeeklyCharts } from './weekly-charts.tsx';

export function DashboardScreen({ app }: { app: AppModel }) {
  const data = useComputed(() => dashboard(app.view.value, app.today.value));
  const d = data.value;
  return (
    <section aria-labelledby="dashboard-title">
      <header class="screen-header">
        <h1 id="dashboard-title">Dashboard</h1>
      </header>
      <h2>Points</h2>
      <div class="stats">
        <Stat label="Points today" value={String(d.points.today)} explain="points" />
        <Stat label="Points this week" value={String(d.points.week)} />
        <Stat label="Total points" value={String(d.points.total)} />
      </div>
      <h2>Consistency</h2>
      <div class="stats">
        {([7, 30] as const).map((n) => {
          const rate = d.completionRate[`days${n}`];
          return (
            <Stat
              key={n}
              label={`${n}-day completion`}
              value={formatRate(rate)}
              hint={rate === null ? 'Nothing was due yet' : undefined}
            />
          );
        })}
        <Stat label="Current streak" value={plural(d.streak.current, 'day')} explain="streak" />
        <Stat label="Best streak" value={plural(d.streak.best, 'day')} />
        <Stat
          label="Better percentage"
          value={formatPercent(d.betterPercent)}
          hint="1% better every day"
          explain="betterPercent"
        />
      </div>
      <h2>Week by week</h2>
      <WeeklyCharts app={app} />
      <h2>Weight</h2>
      <WeightStats weight={d.weight} latestLabel="Latest weight" />
    </section>
  );
}
