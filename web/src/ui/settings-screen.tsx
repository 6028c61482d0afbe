// Settings: weight unit, week start, appearance, the sync figures, and the account.
import type { AppModel } from '../app/app-model.ts';
import { AccountSettings } from './account-settings.tsx';
import { DataSettings } from './data-settings.tsx';
import { type Theme, theme } from './theme.ts';

const THEMES: Record<Theme, string> = { system: 'As the system', light: 'Light', dark: 'Dark' };

export function SettingsScreen({ app }: { app: AppModel }) {
  const { unit, weekStart } = app.view.value.settings;
  return (
    <section aria-labelledby="settings-title">
      <header class="screen-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div class="card">
        <fieldset>
          <legend>Weight unit</legend>
          {(['kg', 'lb'] as const).map((u) => (
            <label key={u} class="choice">
              <input
                type="radio"
                name="unit"
                checked={unit === u}
                onChange={() => void app.mutate('updateSettings', { unit: u })}
              />
              {u === 'kg' ? 'Kilograms (kg)' : 'Pounds (lb)'}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Week starts on</legend>
          {([1, 0] as const).map((day) => (
            <label key={day} class="choice">
              <input
                type="radio"
                name="week-start"
                checked={weekStart === day}
                onChange={() => void app.mutate('updateSettings', { weekStart: day })}
              />
              {day === 1 ? 'Monday' : 'Sunday'}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Appearance</legend>
          {(Object.keys(THEMES) as Theme[]).map((t) => (
            <label key={t} class="choice">
              <input
                type="radio"
                name="theme"
                checked={theme.value === t}
                onChange={() => (theme.value = t)}
              />
              {THEMES[t]}
            </label>
          ))}
          <p class="muted small">On this device only.</p>
        </fieldset>
      </div>
      <DataSettings app={app} />
      <AccountSettings app={app} />
    </section>
  );
}
