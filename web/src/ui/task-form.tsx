// The create/edit form of a task: title, points and weekdays.
import { useSignal } from '@preact/signals';
import { WeekdayPicker } from './weekday-picker.tsx';

export interface TaskInput {
  title: string;
  points: number;
  weekdays: number[];
}

export function TaskForm(props: {
  initial?: TaskInput;
  weekStart: number;
  submitLabel: string;
  idPrefix: string;
  onSubmit(input: TaskInput): void;
  onCancel?(): void;
}) {
  const title = useSignal(props.initial?.title ?? '');
  const points = useSignal(String(props.initial?.points ?? 1));
  const weekdays = useSignal<number[]>(props.initial?.weekdays ?? [0, 1, 2, 3, 4, 5, 6]);
  const error = useSignal<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const value = Number(points.value);
    const problem = !title.value.trim()
      ? 'Give the task a title.'
      : !Number.isInteger(value) || value < 1 || value > 100
        ? 'Points are a whole number from 1 to 100.'
        : weekdays.value.length === 0
          ? 'Pick at least one day.'
          : null;
    if (problem) {
      error.value = problem;
      return;
    }
    error.value = null;
    props.onSubmit({ title: title.value.trim(), points: value, weekdays: weekdays.value });
    if (!props.initial) title.value = '';
  };
  return (
    <form class="task-form" onSubmit={submit}>
      <div class="field grow">
        <label for={`${props.idPrefix}-title`}>Title</label>
        <input
          id={`${props.idPrefix}-title`}
          value={title.value}
          maxLength={120}
          onInput={(e) => (title.value = e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${props.idPrefix}-points`}>Points</label>
        <input
          id={`${props.idPrefix}-points`}
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          value={points.value}
          onInput={(e) => (points.value = e.currentTarget.value)}
        />
      </div>
      <WeekdayPicker
        value={weekdays.value}
        weekStart={props.weekStart}
        idPrefix={props.idPrefix}
        onChange={(next) => (weekdays.value = next)}
      />
      {error.value && (
        <p class="error" role="alert">
          {error.value}
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
