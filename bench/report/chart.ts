// The propagation chart as hand-written SVG (no dependency): two panels against history size,
//
//   left   propagation latency (ms): push p50/p99 vs the original design's 5 s polling p50/p99
//   right  bytes on the wire per sync: the push's delta pull vs the original design's full refetch
//
// Both y axes are logarithmic (the two approaches differ by orders of magnitude); x is the history
// sizes the benchmark measured, labelled with their record counts.
import type { StoredResult } from './results.ts';

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  values: number[];
}

interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const W = 960;
const H = 460;
const PANEL_W = 440;
/** The legend sits between the title and the plot, so no line ever runs under it. */
const PAD = { left: 64, right: 16, top: 116, bottom: 72 };
const PUSH = '#1f77b4';
const ORIGINAL = '#e4572e';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) =>
  n >= 1000 ? `${Number((n / 1000).toPrecision(3))}k` : `${Number(n.toPrecision(3))}`;

export function historySizes(result: StoredResult): number[] {
  return Object.keys(result.metrics)
    .map((k) => /^history_records_y(\d+)$/.exec(k)?.[1])
    .filter((y): y is string => y !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function seriesOf(
  result: StoredResult,
  years: number[],
  key: string,
  label: string,
  color: string,
  dashed: boolean,
): Series {
  const values = years.map((y) => result.metrics[`${key}_y${y}`]?.value ?? Number.NaN);
  return { label, color, dashed, values };
}

function drawPanel(panel: Panel, x0: number, labels: string[]): string {
  const plotW = PANEL_W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const all = panel.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const lo = all.length ? Math.floor(Math.log10(Math.min(...all))) : 0;
  const hi = all.length ? Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all)))) : 1;
  const y = (v: number) => PAD.top + plotH - ((Math.log10(v) - lo) / Math.max(1, hi - lo)) * plotH;
  const x = (i: number) =>
    x0 + PAD.left + (labels.length === 1 ? plotW / 2 : (i / (labels.length - 1)) * plotW);
  const out: string[] = [
    `<text x="${x0 + PAD.left}" y="28" font-size="15" font-weight="600">${esc(panel.title)}</text>`,
  ];
  for (let e = lo; e <= hi; e += 1) {
    const v = 10 ** e;
    out.push(
      `<line x1="${x0 + PAD.left}" x2="${x0 + PAD.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${x0 + PAD.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${fmt(v)} ${esc(panel.unit)}</text>`,
    );
  }
  labels.forEach((label, i) => {
    const [top, bottom] = label.split('\n');
    out.push(
      `<text x="${x(i)}" y="${H - PAD.bottom + 18}" font-size="11" text-anchor="middle">${esc(top ?? '')}</text>`,
      `<text x="${x(i)}" y="${H - PAD.bottom + 32}" font-size="10" fill="#666" text-anchor="middle">${esc(bottom ?? '')}</text>`,
    );
  });
  out.push(
    `<text x="${x0 + PAD.left + plotW / 2}" y="${H - 16}" font-size="11" text-anchor="middle">history size</text>`,
  );
  panel.series.forEach((s, n) => {
    const points = s.values
      .map((v, i) => (Number.isFinite(v) && v > 0 ? `${x(i)},${y(v)}` : ''))
      .filter(Boolean);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
    );
    for (const p of points) {
      const [cx, cy] = p.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`);
    }
    const ly = 50 + n * 16;
    out.push(
      `<line x1="${x0 + PAD.left + 8}" x2="${x0 + PAD.left + 30}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${x0 + PAD.left + 36}" y="${ly + 4}" font-size="11">${esc(s.label)}</text>`,
    );
  });
  return out.join('\n');
}

/** The SVG, or undefined when the results hold no history-size series. */
export function propagationChart(result: StoredResult, cores: number): string | undefined {
  const years = historySizes(result);
  if (years.length === 0) return undefined;
  const labels = years.map((y) => {
    const records = result.metrics[`history_records_y${y}`]?.value ?? 0;
    return `${y} y\n${records.toLocaleString('en-US')} records`;
  });
  const latency: Panel = {
    title: 'Propagation latency (write on A → B has it)',
    unit: 'ms',
    series: [
      seriesOf(result, years, 'push_propagation_p50', 'push p50', PUSH, false),
      seriesOf(result, years, 'push_propagation_p99', 'push p99', PUSH, true),
      seriesOf(
        result,
        years,
        'polling_propagation_p50',
        'polling: 5 s polling + refetch, p50',
        ORIGINAL,
        false,
      ),
      seriesOf(
        result,
        years,
        'polling_propagation_p99',
        'polling: 5 s polling + refetch, p99',
        ORIGINAL,
        true,
      ),
    ],
  };
  const bytes: Panel = {
    title: 'Bytes per sync after one change (response bodies)',
    unit: 'B',
    series: [
      seriesOf(result, years, 'push_bytes_per_sync', 'push: delta pull (median)', PUSH, false),
      seriesOf(result, years, 'polling_bytes_per_sync', 'polling: full refetch (median)', ORIGINAL, false),
    ],
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    drawPanel(latency, 0, labels),
    drawPanel(bytes, W / 2, labels),
    `<text x="${W - 8}" y="${H - 4}" font-size="9" fill="#888" text-anchor="end">bench/propagation.ts, ${cores} cores, log scales</text>`,
    '</svg>',
    '',
  ].join('\n');
}
