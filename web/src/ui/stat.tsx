// One labelled figure: the label names the value for assistive technology as well as visually.
export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = `stat-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a label and its figure form a group; fieldset is for form controls.
    <div class="stat" role="group" aria-labelledby={id}>
      <span class="stat-label" id={id}>
        {label}
      </span>
      <span class="stat-value">{value}</span>
      {hint && <span class="stat-hint muted small">{hint}</span>}
    </div>
  );
}
