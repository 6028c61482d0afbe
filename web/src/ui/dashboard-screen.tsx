// Dashboard: the figures of DESIGN §3, all derived from the rebased view.
import { useComputed } from '@preact/signals';
import { dashboard } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { formatChange, formatDate, formatPercent, formatRate, formatWeight, plural } from './format.ts';
import { Stat } from './stat.tsx';

export function DashboardScreen({ app }: { app: AppModel }) {
  const data = useComputed(() => dashboard(app.view.value, app.today.value));
  const d = data.value;
  const { unit, latest } = d.weight;
  return (
    <section aria-labelledby="dashboard-title">
      <header class="screen-header">
        <h1 id="dashboard-title">Dashboard</h1>
      </header>
      <h2>Points</h2>
      <div class="stats">
        <Stat label="Points today" value={String(d.points.today)} />
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
        <Stat label="Current streak" value={plural(d.streak.current, 'day')} />
        <Stat label="Best streak" value={plural(d.streak.best, 'day')} />
        <Stat label="Better percentage" value={formatPercent(d.betterPercent)} hint="1% better every day" />
      </div>
      <h2>Weight</h2>
      <div class="stats">
        <Stat
          label="Latest weight"
          value={formatWeight(latest?.value, unit)}
          hint={latest ? formatDate(latest.date, { month: 'short', day: 'numeric' }) : 'Log one on Health'}
        />
        <Stat
          label="Change over 7 days"
          value={formatChange(d.weight.change7, unit)}
          hint={latest && d.weight.change7 === null ? 'Needs a weight from a week before' : undefined}
        />
        <Stat
          label="Change over 30 days"
          value={formatChange(d.weight.change30, unit)}
          hint={latest && d.weight.change30 === null ? 'Needs a weight from 30 days before' : undefined}
        />
      </div>
    </section>
  );
}
