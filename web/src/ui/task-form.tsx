// The create/edit form of a task: title, points and weekdays.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { WeekdayPicker } from './weekday-picker.tsx';

export interface TaskInput {
  title: string;
  points: number;
  weekdays: number[];
}

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** What is wrong with the input, and which field to send the user to; null when it can be saved. */
export function taskProblem(
  title: string,
  points: string,
  weekdays: readonly number[],
): { field: 'title' | 'points' | 'days'; message: string } | null {
  const value = Number(points);
  if (!title.trim()) return { field: 'title', message: 'Give the task a title.' };
  if (!Number.isInteger(value) || value < 1 || value > 100)
    return { field: 'points', message: 'Points are a whole number from 1 to 100.' };
  if (weekdays.length === 0) return { field: 'days', message: 'Pick at least one day.' };
  return null;
}

export function TaskForm(props: {
  initial?: TaskInput;
  weekStart: number;
  submitLabel: string;
  idPrefix: string;
  onSubmit(input: TaskInput): void;
  onCancel?(): void;
}) {
  const id = props.idPrefix;
  const title = useSignal(props.initial?.title ?? '');
  const points = useSignal(String(props.initial?.points ?? 1));
  const weekdays = useSignal<number[]>(props.initial?.weekdays ?? EVERY_DAY);
  const error = useSignal<ReturnType<typeof taskProblem>>(null);
  const focus = (field: string) => document.getElementById(`${id}-${field}`)?.focus();
  // An edit form replaces the row whose Edit button was pressed: the title is where the user goes next.
  useEffect(() => {
    if (props.initial) focus('title');
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    const problem = taskProblem(title.value, points.value, weekdays.value);
    error.value = problem;
    if (problem) {
      focus(problem.field === 'days' ? `${weekdays.peek()[0] ?? props.weekStart}` : problem.field);
      return;
    }
    props.onSubmit({ title: title.value.trim(), points: Number(points.value), weekdays: weekdays.value });
    if (props.initial) return;
    // A new task starts from the defaults again (not the last task's points and days), ready to type.
    title.value = '';
    points.value = '1';
    weekdays.value = EVERY_DAY;
    focus('title');
  };
  const invalid = (field: string) =>
    error.value?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
  return (
    <form
      class="task-form"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel?.()}
    >
      <div class="field grow">
        <label for={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          value={title.value}
          maxLength={120}
          {...invalid('title')}
          onInput={(e) => (title.value = e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${id}-points`}>Points</label>
        <input
          id={`${id}-points`}
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          value={points.value}
          {...invalid('points')}
          onInput={(e) => (points.value = e.currentTarget.value)}
        />
      </div>
      <WeekdayPicker
        value={weekdays.value}
        weekStart={props.weekStart}
        idPrefix={id}
        onChange={(next) => (weekdays.value = next)}
      />
      {error.value && (
        <p class="error" role="alert" id={`${id}-error`}>
          {error.value.message}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary">
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
