// One Markdown table per benchmark: metric, measured value, target (with a verdict when the target
// is a plain bound), and the original polling design (docs/rules.md) measured in the same run where the benchmark has it.
//
// The counterpart is found by name: `…_ours` ↔ `…_polling`, `…push…` ↔ `…polling…`, and the sync
// benchmark's `pull_after_one_change_*` ↔ `polling_refetch_after_one_change_*`. Counterparts are shown
// in the original-design column of their metric's row, not as rows of their own.
import type { StoredMetric, StoredResult } from './results.ts';

const EXPLICIT_ORIGINAL: Record<string, string> = {
  pull_after_one_change_bytes: 'polling_refetch_after_one_change_bytes',
  pull_after_one_change_ms: 'polling_refetch_after_one_change_ms',
};

export function originalCounterpart(
  metric: string,
  metrics: Record<string, StoredMetric>,
): string | undefined {
  const candidates = [
    EXPLICIT_ORIGINAL[metric],
    metric.includes('_ours') ? metric.replace('_ours', '_polling') : undefined,
    metric.includes('push') ? metric.replace('push', 'polling') : undefined,
  ];
  return candidates.find((c): c is string => c !== undefined && c !== metric && c in metrics);
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatValue(m: StoredMetric): string {
  if (m.value === null) return 'n/a';
  const unit = m.unit === '×' ? '×' : ` ${m.unit}`;
  return `${number.format(m.value)}${unit}`;
}

/** ✓/✗ for targets that are a bound (`≤ 50`, `< 20`, `≥ 2000`, `0`); blank for descriptive ones. */
export function verdict(m: StoredMetric): string {
  const match = /^(≤|<|≥|>)?\s*(\d[\d,]*(?:\.\d+)?)(\s.*)?$/.exec(m.target ?? '');
  if (!match || m.value === null) return '';
  const bound = Number((match[2] ?? '').replaceAll(',', ''));
  const ok = {
    '≤': m.value <= bound,
    '<': m.value < bound,
    '≥': m.value >= bound,
    '>': m.value > bound,
  }[match[1] ?? ''];
  return (ok ?? m.value === bound) ? '✓' : '✗';
}

function seedCell(ours: StoredMetric, polling: StoredMetric): string {
  // A ratio only for costs (time, bytes, requests), not for counts such as sample sizes.
  const comparable = ours.unit === polling.unit && /^(ms|s|B|KB|MB|requests\/h)$/.test(ours.unit);
  const ratio =
    comparable && ours.value && polling.value ? ` (${number.format(polling.value / ours.value)}× ours)` : '';
  return `${formatValue(polling)}${ratio}`;
}

export function benchmarkTable(result: StoredResult): string {
  const consumed = new Set<string>();
  for (const name of Object.keys(result.metrics)) {
    const polling = originalCounterpart(name, result.metrics);
    if (polling) consumed.add(polling);
  }
  const rows = Object.entries(result.metrics)
    .filter(([name]) => !consumed.has(name))
    .map(([name, m]) => {
      const originalName = originalCounterpart(name, result.metrics);
      const polling = originalName ? result.metrics[originalName] : undefined;
      const target = m.target ? `${m.target} ${verdict(m)}`.trim() : '—';
      return `| \`${name}\` | ${formatValue(m)} | ${target} | ${polling ? seedCell(m, polling) : ''} |`;
    });
  return [
    '| metric | measured | target | original polling design, same run |',
    '| --- | ---: | --- | ---: |',
    ...rows,
  ].join('\n');
}

export function targetsMet(result: StoredResult): { met: number; checked: number } {
  const verdicts = Object.values(result.metrics).map(verdict).filter(Boolean);
  return { met: verdicts.filter((x) => x === '✓').length, checked: verdicts.length };
}
