// Health: log a weight, the list, and the graph with its 7-day trend.
import { useComputed, useSignal } from '@preact/signals';
import { WEIGHT_BOUNDS } from '../../../core/schemas/record-schemas.ts';
import { healthData } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { formatChange, formatDate, formatWeight } from './format.ts';
import { Stat } from './stat.tsx';
import { WeightChart } from './weight-chart.tsx';

export function HealthScreen({ app }: { app: AppModel }) {
  const data = useComputed(() => healthData(app.view.value, app.today.value));
  const weight = useSignal('');
  const date = useSignal(app.today.peek());
  const error = useSignal<string | null>(null);
  const { unit, latest, change7, change30, series } = data.value;
  const save = (event: Event) => {
    event.preventDefault();
    const value = Number(weight.value.replace(',', '.'));
    const bounds = WEIGHT_BOUNDS[unit];
    if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
      error.value = `Enter a weight between ${bounds.min} and ${bounds.max} ${unit}.`;
      return;
    }
    error.value = null;
    void app.mutate('logWeight', { date: date.value, value, unit });
    weight.value = '';
  };
  const recent = [...series].reverse().slice(0, 30);
  return (
    <section aria-labelledby="health-title">
      <header class="screen-header">
        <h1 id="health-title">Health</h1>
      </header>
      <form class="card weight-form" onSubmit={save}>
        <div class="field">
          <label for="weight-input">Weight</label>
          <input
            id="weight-input"
            type="number"
            inputMode="decimal"
            step="0.1"
            value={weight.value}
            aria-describedby="weight-unit"
            onInput={(e) => (weight.value = e.currentTarget.value)}
          />
          <span id="weight-unit" class="muted small">
            in {unit}
          </span>
        </div>
        <div class="field">
          <label for="weight-date">Date</label>
          <input
            id="weight-date"
            type="date"
            max={app.today.value}
            value={date.value}
            onInput={(e) => (date.value = e.currentTarget.value || app.today.peek())}
          />
        </div>
        <button type="submit" class="primary">
          Save weight
        </button>
        {error.value && (
          <p class="error" role="alert">
            {error.value}
          </p>
        )}
      </form>
      <div class="stats">
        <Stat label="Latest" value={formatWeight(latest?.value, unit)} />
        <Stat label="Change over 7 days" value={formatChange(change7, unit)} />
        <Stat label="Change over 30 days" value={formatChange(change30, unit)} />
      </div>
      {series.length > 0 ? (
        <WeightChart series={series} unit={unit} />
      ) : (
        <p class="muted">No weights logged yet.</p>
      )}
      {recent.length > 0 && (
        <>
          <h2>Recent entries</h2>
          <ul class="weight-list">
            {recent.map((p) => (
              <li key={p.date} aria-label={`${formatDate(p.date)}: ${formatWeight(p.value, unit)}`}>
                <span>{formatDate(p.date)}</span>
                <span>{formatWeight(p.value, unit)}</span>
                <span class="muted small">trend {formatWeight(p.avg7, unit)}</span>
                <button
                  type="button"
                  aria-label={`Delete the entry of ${formatDate(p.date)}`}
                  onClick={() => void app.mutate('deleteWeight', { date: p.date })}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
