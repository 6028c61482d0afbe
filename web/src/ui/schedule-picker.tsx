// How often a task is due: on chosen weekdays, a number of times a week, or every N days.
import type { DraftField, TaskDraft } from './task-draft.ts';
import { WeekdayPicker } from './weekday-picker.tsx';

const KINDS = [
  ['weekdays', 'On chosen days'],
  ['timesPerWeek', 'Times a week'],
  ['everyNDays', 'Every few days'],
] as const;

export function SchedulePicker(props: {
  draft: TaskDraft;
  weekStart: number;
  idPrefix: string;
  invalid(field: DraftField): Record<string, unknown>;
  onChange(change: Partial<TaskDraft>): void;
}) {
  const { draft, idPrefix: id } = props;
  return (
    <>
      <fieldset class="schedule-kind">
        <legend>Schedule</legend>
        {KINDS.map(([kind, label]) => (
          <label key={kind} class="choice">
            <input
              type="radio"
              name={`${id}-kind`}
              value={kind}
              checked={draft.kind === kind}
              onChange={() => props.onChange({ kind })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {draft.kind === 'weekdays' && (
        <WeekdayPicker
          value={draft.weekdays}
          weekStart={props.weekStart}
          idPrefix={id}
          onChange={(weekdays) => props.onChange({ weekdays })}
        />
      )}
      {draft.kind === 'timesPerWeek' && (
        <div class="field">
          <label for={`${id}-times`}>How many times a week</label>
          <input
            id={`${id}-times`}
            type="number"
            inputMode="numeric"
            min={1}
            max={7}
            value={draft.times}
            {...props.invalid('times')}
            onInput={(e) => props.onChange({ times: e.currentTarget.value })}
          />
        </div>
      )}
      {draft.kind === 'everyNDays' && (
        <div class="field">
          <label for={`${id}-every`}>Every how many days</label>
          <input
            id={`${id}-every`}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            value={draft.every}
            {...props.invalid('every')}
            onInput={(e) => props.onChange({ every: e.currentTarget.value })}
          />
        </div>
      )}
    </>
  );
}
