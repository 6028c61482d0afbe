// Light or dark: the system's choice unless the user picks one. The choice belongs to the device (a
// phone read at night, a bright office screen), so it lives in localStorage, not in synced settings.
import { effect, signal } from '@preact/signals';

export type Theme = 'system' | 'light' | 'dark';

const KEY = 'routine-sync:theme';
const saved = globalThis.localStorage?.getItem(KEY);

export const theme = signal<Theme>(saved === 'light' || saved === 'dark' ? saved : 'system');

/** Keeps <html data-theme> (which styles.css reads) and the stored choice in step with `theme`. */
export function applyTheme(): void {
  // Written only when it changes: a synchronous storage write on every start is main-thread time
  // the first screen waits for.
  let stored = saved;
  effect(() => {
    document.documentElement.dataset.theme = theme.value;
    if (theme.value === stored) return;
    localStorage.setItem(KEY, theme.value);
    stored = theme.value;
  });
}
