// Health: log a weight, the list, and the graph with its 7-day trend.
import { useComputed, useSignal } from '@preact/signals';
import { addDays } from '../../../core/dates.ts';
import { healthData, type WeightPoint } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { refocus } from './focus.ts';
import { formatDate, formatWeight } from './format.ts';
import { RangeSwitch } from './range-switch.tsx';
import { WeightStats } from './stat.tsx';
import { WeightChart } from './weight-chart.tsx';
import { dayWords, parseWeight, savedMessage } from './weight-input.ts';
import {
  defaultRange,
  inRange,
  rangeDays,
  rangeWords,
  WEIGHT_RANGES,
  type WeightRange,
} from './weight-range.ts';

interface Notice {
  text: string;
  /** What Undo puts back after a delete. */
  undo?: { date: string; value: number };
}

export function HealthScreen({ app }: { app: AppModel }) {
  const data = useComputed(() => healthData(app.view.value, app.today.value));
  const weight = useSignal('');
  // The day the user picked, or null for today: left open past midnight, the form moves on with
  // the calendar instead of saving the next morning's weight on the day before.
  const picked = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const notice = useSignal<Notice | null>(null);
  // null: the shortest range with something to draw (weight-range.ts), until the user picks one.
  const chosenRange = useSignal<WeightRange | null>(null);
  const { unit, series } = data.value;
  const today = app.today.value;
  const date = picked.value ?? today;
  const day = (d: string) => dayWords(d, today, addDays(today, -1));
  const logged = new Map(series.map((p) => [p.date, p.value]));
  const existing = logged.get(date);
  const focus = (id: string) => document.getElementById(id)?.focus();
  const save = (event: Event) => {
    event.preventDefault();
    const parsed = parseWeight(weight.value, unit, date, today);
    if ('error' in parsed) {
      error.value = parsed.error;
      notice.value = null;
      focus(parsed.error.startsWith('Pick') ? 'weight-date' : 'weight-input');
      return;
    }
    error.value = null;
    void app.mutate('logWeight', { date, value: parsed.value, unit });
    notice.value = { text: savedMessage(parsed.value, existing, unit, day(date)) };
    weight.value = '';
    // Back to today: a later entry must not land silently on the day that was picked for this one.
    picked.value = null;
  };
  const edit = (p: WeightPoint) => {
    weight.value = String(Math.round(p.value * 10) / 10);
    picked.value = p.date;
    error.value = notice.value = null;
    focus('weight-input');
  };
  const remove = (p: WeightPoint) => {
    void app.mutate('deleteWeight', { date: p.date });
    notice.value = {
      text: `Deleted ${formatWeight(p.value, unit)} for ${day(p.date)}.`,
      undo: { date: p.date, value: p.value },
    };
    refocus(() => document.getElementById('weight-undo'));
  };
  const undo = (entry: { date: string; value: number }) => {
    void app.mutate('logWeight', { ...entry, unit });
    notice.value = { text: `Restored ${formatWeight(entry.value, unit)} for ${day(entry.date)}.` };
    focus('weight-input');
  };
  const recent = [...series].reverse().slice(0, 30);
  const range = chosenRange.value ?? defaultRange(series, today);
  const days = rangeDays(range);
  const shown = inRange(series, range, today);
  const year = today.slice(0, 4);
  return (
    <section aria-labelledby="health-title">
      <header class="screen-header">
        <h1 id="health-title">Health</h1>
      </header>
      <form class="card weight-form" onSubmit={save} noValidate>
        <div class="field">
          <label for="weight-input">Weight ({unit})</label>
          <input
            id="weight-input"
            type="number"
            inputMode="decimal"
            step="0.1"
            value={weight.value}
            aria-invalid={error.value !== null && !error.value.startsWith('Pick')}
            aria-describedby="weight-feedback"
            onInput={(e) => {
              weight.value = e.currentTarget.value;
              notice.value = null;
            }}
          />
        </div>
        <div class="field">
          <label for="weight-date">Date</label>
          <input
            id="weight-date"
            type="date"
            max={today}
            value={date}
            aria-describedby="weight-feedback"
            onInput={(e) => (picked.value = e.currentTarget.value || null)}
          />
        </div>
        <button type="submit" class="primary">
          Save weight
        </button>
        <div id="weight-feedback" class="feedback" aria-live="polite">
          {error.value ? (
            <p class="error">{error.value}</p>
          ) : notice.value ? (
            <p>
              {notice.value.text}{' '}
              {notice.value.undo && (
                <button
                  type="button"
                  id="weight-undo"
                  class="small-button"
                  onClick={() => notice.value?.undo && undo(notice.value.undo)}
                >
                  Undo
                </button>
              )}
            </p>
          ) : (
            existing !== undefined && (
              <p class="muted small">
                There is already {formatWeight(existing, unit)} for {day(date)}: saving replaces it.
              </p>
            )
          )}
        </div>
      </form>
      <WeightStats weight={data.value} latestLabel="Latest" />
      {series.length > 0 ? (
        <>
          <RangeSwitch
            legend="Graph range"
            name="weight-range"
            options={WEIGHT_RANGES}
            value={range}
            onChange={(key) => (chosenRange.value = key)}
          />
          {shown.length > 0 ? (
            <WeightChart
              series={shown}
              unit={unit}
              span={days === undefined ? undefined : [addDays(today, -(days - 1)), today]}
              rangeLabel={rangeWords(range)}
            />
          ) : (
            <p class="muted">No weights in {rangeWords(range)}.</p>
          )}
        </>
      ) : (
        <p class="muted">No weights logged yet. Your first one starts the graph and its 7-day trend.</p>
      )}
      {recent.length > 0 && (
        <>
          <h2>Recent entries</h2>
          <ul class="weight-list">
            {recent.map((p) => (
              <li key={p.date} aria-label={`${formatDate(p.date)}: ${formatWeight(p.value, unit)}`}>
                <span class="weight-day">
                  {/* The weekday gives way on the narrowest phones (styles.css). */}
                  <span class="weekday-name">{formatDate(p.date, { weekday: 'short' })} </span>
                  {formatDate(
                    p.date,
                    p.date.startsWith(year) ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' },
                  )}
                </span>
                <span class="weight-value">
                  {formatWeight(p.value, unit)}
                  <span class="muted small">trend {formatWeight(p.avg7, unit)}</span>
                </span>
                <span class="row-actions">
                  <button
                    type="button"
                    aria-label={`Edit the entry of ${formatDate(p.date)}`}
                    onClick={() => edit(p)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete the entry of ${formatDate(p.date)}`}
                    onClick={() => remove(p)}
                  >
                    Delete
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
