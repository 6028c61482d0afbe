// The weight graph: daily weights as points and the 7-day trend as a line (broken across long gaps),
// drawn with uPlot over the chosen range. uPlot is loaded on first use (uplot-loader.ts).
import { useEffect, useRef } from 'preact/hooks';
import type { WeightPoint } from '../../../core/stats/index.ts';
import { cssVar, loadUPlot, toSeconds } from './uplot-loader.ts';
import { chartColumns } from './weight-range.ts';

const DAY_S = 86_400;

/** At least two weeks wide, ending a few days after the last entry. */
export function xWindow(days: readonly number[]): [number, number] {
  const first = days[0] ?? 0;
  const last = days.at(-1) ?? first;
  return [Math.min(first - 3 * DAY_S, last - 14 * DAY_S), last + 3 * DAY_S];
}

/** Whole units around every weight and trend value, at least 2 units tall. */
export function yWindow(...columns: ReadonlyArray<readonly (number | null)[]>): [number, number] {
  const values = columns.flat().filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return [0, 1];
  return [Math.floor(Math.min(...values) - 1), Math.ceil(Math.max(...values) + 1)];
}

/** Legend values with one decimal (the day's line shows the date alone, not uPlot's time of day). */
const oneDecimal = (_: unknown, v: number | null) => (v == null ? '–' : v.toFixed(1));

export function WeightChart({
  series,
  unit,
  span,
  rangeLabel,
}: {
  series: readonly WeightPoint[];
  unit: string;
  /** The first and last day of the range shown; undefined: the data's own span. */
  span: [string, string] | undefined;
  rangeLabel: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  // Only the weights redraw the graph: any other synced change (a task ticked on another device) gave
  // a new series array, and the graph was torn down and rebuilt under a reading cursor.
  const weights = `${unit} ${span} ${series.map((p) => `${p.date}=${p.value}`).join()}`;
  useEffect(() => {
    const element = host.current;
    if (!element || series.length === 0) return;
    let chart: { destroy(): void; setSize(s: { width: number; height: number }): void } | undefined;
    let disposed = false;
    const columns = chartColumns(series);
    const data: [number[], (number | null)[], (number | null)[]] = [
      columns.dates.map(toSeconds),
      columns.weights,
      columns.trend,
    ];
    // A fixed range shows its own days (one old entry no longer stretches the axis over a year).
    const xRange = (): [number, number] =>
      span ? [toSeconds(span[0]) - DAY_S / 2, toSeconds(span[1]) + DAY_S / 2] : xWindow(data[0]);
    const observer = new ResizeObserver(() => chart?.setSize({ width: element.clientWidth, height: 240 }));
    void loadUPlot().then((UPlot) => {
      if (disposed) return;
      const text = cssVar('--text-muted', '#666');
      const axis = { stroke: text, grid: { stroke: cssVar('--border', '#ddd'), width: 1 } };
      chart = new UPlot(
        {
          width: element.clientWidth || 320,
          height: 240,
          legend: { show: true },
          // Away from the cursor the legend shows the latest entry instead of uPlot's "--".
          hooks: {
            setCursor: [(u) => u.cursor.idx == null && u.setLegend({ idx: data[0].length - 1 }, false)],
          },
          // uPlot's automatic ranges are made for dense data (one point made it span years), so the
          // window is computed from the data itself.
          scales: {
            x: { time: true, range: xRange },
            y: { range: () => yWindow(data[1], data[2]) },
          },
          axes: [axis, { ...axis, label: unit }],
          series: [
            { label: 'Date', value: '{MMM} {D}, {YYYY}' },
            {
              label: `Weight (${unit})`,
              value: oneDecimal,
              stroke: cssVar('--accent', '#0f766e'),
              width: 0,
              points: { show: true, size: 6 },
            },
            {
              label: '7-day trend',
              value: oneDecimal,
              stroke: cssVar('--trend', '#d97706'),
              width: 2,
              points: { show: false },
            },
          ],
        },
        data,
        element,
      );
      observer.observe(element);
    });
    return () => {
      disposed = true;
      observer.disconnect();
      chart?.destroy();
    };
  }, [weights]);
  return (
    <figure class="chart">
      <div
        ref={host}
        role="img"
        aria-label={`Graph of ${series.length} entries with the 7-day trend, ${rangeLabel}`}
      />
    </figure>
  );
}
