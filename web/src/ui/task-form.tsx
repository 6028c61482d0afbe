// The create/edit form of a task: title (with its limit and what is left), points and schedule.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { SchedulePicker } from './schedule-picker.tsx';
import {
  type DraftField,
  draftOf,
  emptyDraft,
  inputOf,
  type TaskDraft,
  type TaskInput,
  TITLE_MAX,
  taskProblem,
  titleRemaining,
} from './task-draft.ts';

export type { TaskInput };

export function TaskForm(props: {
  initial?: TaskInput;
  weekStart: number;
  submitLabel: string;
  idPrefix: string;
  onSubmit(input: TaskInput): void;
  onCancel?(): void;
}) {
  const id = props.idPrefix;
  const draft = useSignal<TaskDraft>(props.initial ? draftOf(props.initial) : emptyDraft());
  const error = useSignal<ReturnType<typeof taskProblem>>(null);
  const set = (change: Partial<TaskDraft>) => (draft.value = { ...draft.value, ...change });
  const focus = (field: string) => document.getElementById(`${id}-${field}`)?.focus();
  // An edit form replaces the row whose Edit button was pressed: the title is where the user goes next.
  useEffect(() => {
    if (props.initial) focus('title');
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    const problem = taskProblem(draft.value);
    error.value = problem;
    if (problem) {
      focus(problem.field === 'days' ? `${draft.peek().weekdays[0] ?? props.weekStart}` : problem.field);
      return;
    }
    props.onSubmit(inputOf(draft.value));
    if (props.initial) return;
    // A new task starts from the defaults again (not the last task's points and days), ready to type.
    draft.value = emptyDraft();
    focus('title');
  };
  const invalid = (field: DraftField) =>
    error.value?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
  const left = titleRemaining(draft.value.title);
  return (
    <form
      class="task-form"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel?.()}
    >
      <div class="field grow">
        <label for={`${id}-title`}>Title</label>
        {/* No maxLength: a pasted title would be cut without a word. The count says what is left. */}
        <input
          id={`${id}-title`}
          value={draft.value.title}
          aria-describedby={error.value?.field === 'title' ? `${id}-error ${id}-count` : `${id}-count`}
          {...(error.value?.field === 'title' ? { 'aria-invalid': true } : {})}
          onInput={(e) => set({ title: e.currentTarget.value })}
        />
        <span id={`${id}-count`} class={`small ${left < 0 ? 'error-text' : 'muted'}`}>
          {left >= 0
            ? `Up to ${TITLE_MAX} characters, ${left} left`
            : `${-left} character${left === -1 ? '' : 's'} over the limit of ${TITLE_MAX}`}
        </span>
      </div>
      <div class="field">
        <label for={`${id}-points`}>Points</label>
        <input
          id={`${id}-points`}
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          value={draft.value.points}
          {...invalid('points')}
          onInput={(e) => set({ points: e.currentTarget.value })}
        />
      </div>
      <SchedulePicker
        draft={draft.value}
        weekStart={props.weekStart}
        idPrefix={id}
        invalid={invalid}
        onChange={set}
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
