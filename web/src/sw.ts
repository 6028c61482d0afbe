/// <reference lib="webworker" />
// The service worker: keeps the app shell (index.html and the hashed bundles of this build) so the
// app starts offline from its IndexedDB replica. API calls are never cached: the replica is the
// offline copy of the data, and the sync loop knows how to wait for the network.
declare const __APP_SHELL__: string[];
declare const __BUILD_ID__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `routine-sync-shell-${__BUILD_ID__}`;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/', ...__APP_SHELL__]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin || url.pathname.startsWith('/api/'))
    return;
  if (request.mode === 'navigate') {
    // Network first, so a new deployment shows at once; the cached shell when offline.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match('/', { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  // Hashed files never change: the cache is always right for them.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
