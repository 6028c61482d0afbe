// A small line chart over dates (uPlot, loaded on first use), for the strength and weekly series. It
// is an image to assistive technology; the caller names it with a summary of what it shows.
import { useEffect, useRef } from 'preact/hooks';
import { cssVar, loadUPlot, toSeconds, type UPlotChart } from './uplot-loader.ts';

export interface LineSeries {
  label: string;
  values: readonly (number | null)[];
  /** A theme colour variable and its fallback. */
  color: [string, string];
  format(value: number): string;
}

export function LineChart(props: {
  dates: readonly string[];
  series: readonly LineSeries[];
  yRange: [number, number];
  summary: string;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const height = props.height ?? 180;
  const key = `${props.dates.join()}|${props.series.map((s) => s.values.join()).join('|')}`;
  useEffect(() => {
    const element = host.current;
    if (!element || props.dates.length === 0) return;
    let chart: UPlotChart | undefined;
    let disposed = false;
    const data = [props.dates.map(toSeconds), ...props.series.map((s) => [...s.values])] as [
      number[],
      ...(number | null)[][],
    ];
    const observer = new ResizeObserver(() => chart?.setSize({ width: element.clientWidth, height }));
    void loadUPlot().then((UPlot) => {
      if (disposed) return;
      const axis = {
        stroke: cssVar('--text-muted', '#666'),
        grid: { stroke: cssVar('--border', '#ddd'), width: 1 },
      };
      chart = new UPlot(
        {
          width: element.clientWidth || 320,
          height,
          legend: { show: props.series.length > 1 },
          scales: { x: { time: true }, y: { range: () => props.yRange } },
          axes: [
            axis,
            { ...axis, values: (_u, ticks) => ticks.map((t) => props.series[0]?.format(t) ?? String(t)) },
          ],
          series: [
            { label: 'Date', value: '{MMM} {D}, {YYYY}' },
            ...props.series.map((s) => ({
              label: s.label,
              stroke: cssVar(...s.color),
              width: 2,
              spanGaps: false,
              points: { show: props.dates.length < 40 },
              value: (_u: unknown, v: number | null) => (v == null ? '–' : s.format(v)),
            })),
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
  }, [key]);
  return (
    <figure class="chart">
      <div ref={host} role="img" aria-label={props.summary} />
    </figure>
  );
}
