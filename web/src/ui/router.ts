// Hash routes (#/today …): static hosting needs no rewrite rules, and a reload keeps the screen.
import { signal } from '@preact/signals';

export const ROUTES = ['today', 'tasks', 'health', 'dashboard', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, string> = {
  today: 'Today',
  tasks: 'Tasks',
  health: 'Health',
  dashboard: 'Dashboard',
  settings: 'Settings',
};

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'today';
}

export const route = signal<Route>(typeof location === 'undefined' ? 'today' : parse(location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parse(location.hash);
  });
}
