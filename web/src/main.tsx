// Composition root of the web app: picks the concrete adapters (fetch, IndexedDB, Web Locks,
// BroadcastChannel, real timers) and mounts the UI.
import { render } from 'preact';
import { createAppModel } from './app/app-model.ts';
import { createAuthClient } from './auth/auth-client.ts';
import { createReactiveCache, ReactiveCacheContext } from './cache/reactive-cache.ts';
import { createBrowserPokeSource, pulledVersion } from './realtime/browser-poke-source.ts';
import { AppShell } from './ui/app-shell.tsx';
import { applyTheme } from './ui/theme.ts';
import './ui/styles.css';

const app = createAppModel({
  authClient: createAuthClient(),
  // Real-time pokes over the WebSocket API; polling takes over whenever the socket is down.
  pokeSource: (userId) =>
    createBrowserPokeSource(userId, () => pulledVersion(app.session.peek()?.replica.versions.peek())),
});
void app.auth.verify();

// Before the first render, so a chosen theme never flashes the system's.
applyTheme();
const root = document.getElementById('app');
if (root)
  render(
    <ReactiveCacheContext.Provider value={createReactiveCache(app)}>
      <AppShell app={app} />
    </ReactiveCacheContext.Provider>,
    root,
  );

// The service worker keeps the app shell for offline starts; the app works without it.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
