// The frame around every screen: the title, the always-visible sync status (with Refresh after
// repeated failures), navigation, the current screen, and toasts.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { AppModel } from '../app/app-model.ts';
import { createStatusDisplay } from '../app/status-display.ts';
import { AuthScreen } from './auth-screen.tsx';
import { DashboardScreen } from './dashboard-screen.tsx';
import { HealthScreen } from './health-screen.tsx';
import { lazyScreen } from './lazy-screen.tsx';
import { ROUTE_LABELS, ROUTES, type Route, route, routeTaskId } from './router.ts';
import { SettingsScreen } from './settings-screen.tsx';
import { TasksScreen } from './tasks-screen.tsx';
import { Toasts } from './toasts-view.tsx';
import { TodayScreen } from './today-screen.tsx';

const SCREENS: Record<Route, (props: { app: AppModel }) => preact.JSX.Element> = {
  today: TodayScreen,
  tasks: TasksScreen,
  health: HealthScreen,
  dashboard: DashboardScreen,
  settings: SettingsScreen,
};

const TaskPage = lazyScreen(() => import('./task-page.tsx').then((m) => m.TaskPage), 'Task');

function SyncStatusBar({ app }: { app: AppModel }) {
  const display = useMemo(() => createStatusDisplay(app.statusText), [app]);
  useEffect(() => display.dispose, [display]);
  const text = display.shown.value;
  const tone = text.startsWith('Synced') ? 'ok' : /^(Offline|Can't reach)/.test(text) ? 'offline' : 'busy';
  return (
    <div class="sync">
      <span class={`sync-dot ${tone}`} aria-hidden="true" />
      <span role="status" class="sync-text">
        {text}
      </span>
      {app.showsRefresh.value && (
        <button type="button" class="small-button" onClick={() => void app.refresh()}>
          Refresh
        </button>
      )}
    </div>
  );
}

/**
 * A screen change is a new page to a screen reader or keyboard user: focus moves to the new screen's
 * heading, as it would to the top of a new page, unless the screen already put it somewhere (a form).
 * While a new device loads, the heading is a placeholder that the screen's own replaces: focus
 * follows it there.
 */
function useHeadingFocusOnNavigation(current: string, hasData: boolean): void {
  const shown = useRef(current);
  const pending = useRef(false);
  useEffect(() => {
    if (shown.current !== current) {
      shown.current = current;
      pending.current = true;
    }
    if (!pending.current) return;
    if (hasData) pending.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && !active.closest('nav')) return;
    const heading = document.querySelector<HTMLElement>('main h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }, [current, hasData]);
}

export function AppShell({ app }: { app: AppModel }) {
  const taskId = routeTaskId.value;
  useHeadingFocusOnNavigation(`${route.value}/${taskId ?? ''}`, app.hasData.value);
  if (!app.auth.user.value) {
    document.title = 'Routine Sync';
    return (
      <>
        <AuthScreen auth={app.auth} />
        <Toasts model={app.toasts} />
      </>
    );
  }
  const current = route.value;
  const Screen = SCREENS[current];
  // The tab title names the screen, as the browser history and tab switchers show it.
  document.title = `${ROUTE_LABELS[current]} · Routine Sync`;
  return (
    // data-sync-role lets tests (and curious developers) see which tab leads the network work.
    <div class="shell" data-sync-role={app.session.value?.isLeader.value ? 'leader' : 'follower'}>
      <header class="topbar">
        <a class="brand" href="#/today">
          Routine Sync
        </a>
        <SyncStatusBar app={app} />
      </header>
      <nav class="nav" aria-label="Main">
        {ROUTES.map((r) => (
          <a key={r} href={`#/${r}`} aria-current={r === current ? 'page' : undefined}>
            {ROUTE_LABELS[r]}
          </a>
        ))}
      </nav>
      <main class="content">
        {app.hasData.value && taskId ? (
          <TaskPage key={taskId} app={app} taskId={taskId} />
        ) : app.hasData.value || current === 'settings' ? (
          <Screen app={app} />
        ) : (
          // A new device has nothing to show until its first pull: zeros and "nothing logged yet"
          // would be wrong figures, replaced a moment later.
          <>
            <h1>{ROUTE_LABELS[current]}</h1>
            <p class="muted loading" aria-live="polite">
              Loading your data…
            </p>
          </>
        )}
      </main>
      <Toasts model={app.toasts} />
    </div>
  );
}
