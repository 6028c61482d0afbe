// Hash routes (#/today …, #/tasks/<id>): static hosting needs no rewrite rules, and a reload keeps the
// screen. A shared path link (/tasks/<id>) is turned into its hash route on load.
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

const TASK_PATH = /^\/?tasks\/([0-9a-f-]{36})$/;

/** The screen of a hash, and the task of a task page (`#/tasks/<id>`; its screen is `tasks`). */
export function parseHash(hash: string): { route: Route; taskId: string | null } {
  const name = hash.replace(/^#\/?/, '');
  const task = TASK_PATH.exec(name);
  if (task) return { route: 'tasks', taskId: task[1] ?? null };
  return { route: (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'today', taskId: null };
}

export function taskHref(taskId: string): string {
  return `#/tasks/${taskId}`;
}

if (typeof location !== 'undefined' && TASK_PATH.test(location.pathname)) {
  history.replaceState(null, '', `/#${location.pathname}`);
}

const initial = parseHash(typeof location === 'undefined' ? '' : location.hash);
export const route = signal<Route>(initial.route);
/** The task whose page is shown, or null. */
export const routeTaskId = signal<string | null>(initial.taskId);

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const next = parseHash(location.hash);
    route.value = next.route;
    routeTaskId.value = next.taskId;
  });
}
