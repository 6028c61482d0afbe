import type { WeightSummary } from '../../../core/stats/index.ts';
import { Explain, type ExplainTopic } from './explain.tsx';
import { formatChange, formatDate, formatWeight } from './format.ts';

// One labelled figure: the label names the value for assistive technology as well as visually.
export function Stat({
  label,
  value,
  hint,
  explain,
}: {
  label: string;
  value: string;
  hint?: string | undefined;
  explain?: ExplainTopic;
}) {
  const id = `stat-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a label and its figure form a group; fieldset is for form controls.
    <div class="stat" role="group" aria-labelledby={id}>
      <span class="stat-label" id={id}>
        {label}
      </span>
      <span class="stat-value">{value}</span>
      {hint && <span class="stat-hint muted small">{hint}</span>}
      {explain && <Explain topic={explain} />}
    </div>
  );
}

/** The latest weight and its changes over 7 and 30 days, as Health and the Dashboard show them. */
export function WeightStats({ weight, latestLabel }: { weight: WeightSummary; latestLabel: string }) {
  const { unit, latest } = weight;
  return (
    <div class="stats">
      <Stat
        label={latestLabel}
        value={formatWeight(latest?.value, unit)}
        hint={latest ? formatDate(latest.date, { month: 'short', day: 'numeric' }) : undefined}
      />
      {([7, 30] as const).map((n) => {
        const change = weight[`change${n}`];
        return (
          <Stat
            key={n}
            label={`Change over ${n} days`}
            value={formatChange(change, unit)}
            // A dash alone reads as "no change"; say what is missing.
            hint={latest && change === null ? `Needs a weight from ${n} days before` : undefined}
          />
        );
      })}
    </div>
  );
}
