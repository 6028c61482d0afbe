// The dashboard's week-by-week charts (points, completion) with their range switch. Each chart is an
// image with a summary for screen readers, and the figures are in a visually hidden table too.
import { useComputed, useSignal } from '@preact/signals';
import { weeklyFigures } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { formatDate, formatRate } from './format.ts';
import { LineChart } from './line-chart.tsx';
import { RangeSwitch } from './range-switch.tsx';
import { pointsSummary, rateSummary } from './weekly-words.ts';

const RANGES = [
  { key: '3m', label: '3 months', weeks: 13 },
  { key: '6m', label: '6 months', weeks: 26 },
  { key: '1y', label: '1 year', weeks: 52 },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];

const weekOf = (start: string) => formatDate(start, { month: 'short', day: 'numeric' });

export function WeeklyCharts({ app }: { app: AppModel }) {
  const range = useSignal<RangeKey>('6m');
  // The range is read inside the computed, so switching it recomputes.
  const figures = useComputed(() =>
    weeklyFigures(app.view.value, app.today.value, RANGES.find((r) => r.key === range.value)?.weeks ?? 26),
  ).value;
  const dates = figures.map((w) => w.start);
  const maxPoints = Math.max(10, ...figures.map((w) => w.points));
  return (
    <>
      <RangeSwitch
        legend="Chart range"
        name="weekly-range"
        options={RANGES}
        value={range.value}
        onChange={(key) => (range.value = key)}
      />
      <h3>Points per week</h3>
      <LineChart
        dates={dates}
        series={[
          {
            label: 'Points',
            values: figures.map((w) => w.points),
            color: ['--accent', '#0f766e'],
            format: (v) => String(Math.round(v)),
          },
        ]}
        yRange={[0, Math.ceil(maxPoints * 1.1)]}
        summary={pointsSummary(figures)}
      />
      <h3>Completion per week</h3>
      <LineChart
        dates={dates}
        series={[
          {
            label: 'Completion',
            values: figures.map((w) => (w.rate === null ? null : Math.round(w.rate * 100))),
            color: ['--trend', '#b45309'],
            format: (v) => `${Math.round(v)}%`,
          },
        ]}
        yRange={[0, 100]}
        summary={rateSummary(figures)}
      />
      <table class="visually-hidden">
        <caption>Points and completion per week</caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            <th scope="col">Points</th>
            <th scope="col">Completion</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((w) => (
            <tr key={w.start}>
              <th scope="row">{weekOf(w.start)}</th>
              <td>{w.points}</td>
              <td>{formatRate(w.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
