// Weekday checkboxes in the user's week order (0 = Sunday in the stored schedule).
const NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function WeekdayPicker(props: {
  value: readonly number[];
  weekStart: number;
  onChange(next: number[]): void;
  idPrefix: string;
}) {
  const order = Array.from({ length: 7 }, (_, i) => (i + props.weekStart) % 7);
  const toggle = (day: number) => {
    const next = props.value.includes(day) ? props.value.filter((d) => d !== day) : [...props.value, day];
    props.onChange(next.sort((a, b) => a - b));
  };
  return (
    <fieldset class="weekdays">
      <legend>Days</legend>
      {order.map((day) => (
        <label key={day} class="weekday">
          <input
            type="checkbox"
            id={`${props.idPrefix}-${day}`}
            checked={props.value.includes(day)}
            onChange={() => toggle(day)}
          />
          <span aria-hidden="true">{NAMES[day]?.slice(0, 2)}</span>
          <span class="visually-hidden">{NAMES[day]}</span>
        </label>
      ))}
    </fieldset>
  );
}
