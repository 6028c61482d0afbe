// The one result shape every benchmark returns, and how it is printed and stored.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 2000"; printed, and stored for the report. */
  target?: string;
}

export interface BenchResult {
  name: string;
  metrics: Record<string, Metric>;
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function formatTable(result: BenchResult): string {
  const rows = Object.entries(result.metrics).map(([metric, m]) => [
    metric,
    String(m.value),
    m.unit,
    m.target ?? '',
  ]);
  const header = ['metric', 'value', 'unit', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [`${result.name}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join(
    '\n',
  );
}

/** Writes `bench/results/<name>.json` as `{name, metrics: {<metric>: {value, unit, target?}}}`. */
export async function writeResult(result: BenchResult): Promise<string> {
  const metrics = Object.fromEntries(
    // The target is kept too (optional), so that bench/report.ts can put it beside the figure.
    Object.entries(result.metrics).map(([k, m]) => [
      k,
      { value: m.value, unit: m.unit, ...(m.target ? { target: m.target } : {}) },
    ]),
  );
  const file = join(RESULTS_DIR, `${result.name}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify({ name: result.name, metrics }, null, 2)}\n`);
  return file;
}
