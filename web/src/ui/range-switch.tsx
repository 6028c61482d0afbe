// A chart's range switch: a group of radio buttons (arrow keys move between them, as for any radios).
export function RangeSwitch<K extends string>(props: {
  legend: string;
  name: string;
  options: ReadonlyArray<{ key: K; label: string }>;
  value: K;
  onChange(key: K): void;
}) {
  return (
    <fieldset class="range-switch">
      <legend class="small muted">{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option.key} class="range-option">
          <input
            type="radio"
            name={props.name}
            value={option.key}
            checked={props.value === option.key}
            onChange={() => props.onChange(option.key)}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
