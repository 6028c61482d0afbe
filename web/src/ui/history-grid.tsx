// A task's history as a calendar: one row per week, one gridcell per day, named "<ISO date>, <weekday>,
// <state>". Arrow keys move by a day or a week, Home/End to the ends of the week (with Ctrl: of the
// history); Enter, Space or a click on a day that can be marked opens its actions below the grid.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { weekdayOf } from '../../../core/dates.ts';
import type { TaskDay, TaskDayState } from '../../../core/stats/index.ts';
import { formatDate } from './format.ts';

export type MarkAction = 'completeTask' | 'skipTask' | 'uncompleteTask';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const GLYPH: Record<TaskDayState, string> = {
  done: '✓',
  skipped: '–',
  missed: '✕',
  open: '○',
  'not scheduled': '',
};

export function cellName(day: TaskDay): string {
  return `${day.date}, ${WEEKDAY_NAMES[weekdayOf(day.date)]}, ${day.state}`;
}

function weeksOf(days: readonly TaskDay[], weekStart: number): TaskDay[][] {
  const weeks: TaskDay[][] = [];
  for (const day of days) {
    const current = weeks.at(-1);
    if (current && weekdayOf(day.date) !== weekStart) current.push(day);
    else weeks.push([day]);
  }
  return weeks;
}

const KEY_STEPS: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

function targetIndex(
  event: KeyboardEvent,
  index: number,
  days: readonly TaskDay[],
  weekStart: number,
): number {
  const step = KEY_STEPS[event.key];
  if (step !== undefined) return index + step;
  const column = (weekdayOf(days[index]?.date ?? '1970-01-01') - weekStart + 7) % 7;
  if (event.key === 'Home') return event.ctrlKey ? 0 : index - column;
  if (event.key === 'End') return event.ctrlKey ? days.length - 1 : index + 6 - column;
  return index;
}

export function HistoryGrid(props: {
  days: readonly TaskDay[];
  weekStart: number;
  /** Whether a day can be marked (from the task's creation to today, while it is not archived). */
  canMark(day: TaskDay): boolean;
  onMark(date: string, action: MarkAction): void;
}) {
  const { days, weekStart } = props;
  const focused = useSignal(days.length - 1);
  const opened = useSignal<string | null>(null);
  const grid = useRef<HTMLTableElement>(null);
  const index = Math.min(focused.value, days.length - 1);
  const cellAt = (i: number) => grid.current?.querySelector<HTMLElement>(`[data-index="${i}"]`);
  const onKeyDown = (event: KeyboardEvent) => {
    const next = targetIndex(event, index, days, weekStart);
    if (next !== index) {
      event.preventDefault();
      const clamped = Math.max(0, Math.min(days.length - 1, next));
      focused.value = clamped;
      cellAt(clamped)?.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(index);
    }
  };
  const activate = (i: number) => {
    const day = days[i];
    focused.value = i;
    if (!day || !props.canMark(day)) return;
    opened.value = day.date;
    // The cell keeps focus through the re-render; the user's next step is one of the actions.
    setTimeout(() => document.getElementById('history-actions')?.querySelector('button')?.focus());
  };
  const openDay = days.find((d) => d.date === opened.value);
  const close = () => {
    opened.value = null;
    setTimeout(() => cellAt(focused.peek())?.focus());
  };
  const mark = (action: MarkAction) => {
    if (openDay) props.onMark(openDay.date, action);
    close();
  };
  let position = 0;
  return (
    <>
      <table
        class="history"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern on a table keeps its rows and cells.
        role="grid"
        aria-label="History"
        aria-describedby="history-legend"
        ref={grid}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            {Array.from({ length: 7 }, (_, i) => (
              <th scope="col" key={i} class="small muted">
                <abbr title={WEEKDAY_NAMES[(i + weekStart) % 7]}>
                  {WEEKDAY_NAMES[(i + weekStart) % 7]?.slice(0, 2)}
                </abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(days, weekStart).map((week) => {
            const lead = (weekdayOf(week[0]?.date ?? '1970-01-01') - weekStart + 7) % 7;
            return (
              <tr key={week[0]?.date}>
                {lead > 0 && <td colSpan={lead} aria-hidden="true" />}
                {week.map((day) => {
                  const at = position++;
                  const dayOfMonth = Number(day.date.slice(8));
                  return (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid handles the keys (roving focus).
                    <td
                      key={day.date}
                      data-index={at}
                      tabIndex={at === index ? 0 : -1}
                      aria-label={cellName(day)}
                      // The day and its mark are drawn by CSS from data-*: the name says both in words.
                      data-day={dayOfMonth === 1 ? formatDate(day.date, { month: 'short' }) : dayOfMonth}
                      data-glyph={GLYPH[day.state]}
                      class={`history-day state-${day.state.replace(' ', '-')}`}
                      onClick={() => activate(at)}
                    ></td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id="history-legend" class="muted small">
        ✓ done · – skipped · ✕ missed · ○ due today. Choose a day to mark it.
      </p>
      {openDay && (
        // biome-ignore lint/a11y/useSemanticElements: a labelled group of actions, not a form control set.
        <div
          id="history-actions"
          class="card history-actions"
          role="group"
          aria-labelledby="history-actions-title"
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          <p id="history-actions-title">
            {formatDate(openDay.date, { dateStyle: 'full' })}: {openDay.state}
          </p>
          <div class="row">
            {openDay.state !== 'done' && (
              <button type="button" class="primary" onClick={() => mark('completeTask')}>
                Mark done
              </button>
            )}
            {openDay.state !== 'skipped' && (
              <button type="button" onClick={() => mark('skipTask')}>
                Mark skipped
              </button>
            )}
            {(openDay.state === 'done' || openDay.state === 'skipped') && (
              <button type="button" onClick={() => mark('uncompleteTask')}>
                Clear
              </button>
            )}
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}
