// The web app's saved base (web/src/sync/idb-storage.ts, meta key `base`), seen from a benchmark's
// page: whether the app has saved it at the stored versions, and dropping it to measure the path
// without it.
import type { Page } from 'playwright-core';

const SAVED_BASE_WAIT_MS = 60_000;

/** Waits until the app has saved the base at the stored versions (a few seconds after its last pull). */
export async function waitForSavedBase(page: Page): Promise<void> {
  const deadline = Date.now() + SAVED_BASE_WAIT_MS;
  while ((await page.evaluate(SAVED_BASE_STATE)) !== 'fresh') {
    if (Date.now() > deadline) throw new Error('the app saved no base within a minute');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// In the page: the signed-in user's replica database (web/src/sync/idb-storage.ts), opened by hand.
const OPEN_REPLICA = `new Promise((ok, fail) => {
  const user = JSON.parse(localStorage.getItem('routine-sync:last-user')).userId;
  const request = indexedDB.open('routine-sync:' + user);
  request.onsuccess = () => ok(request.result);
  request.onerror = () => fail(request.error);
})`;

const SAVED_BASE_STATE = `(async () => {
  const db = await ${OPEN_REPLICA};
  const get = (key) => new Promise((ok) => {
    const request = db.transaction('meta').objectStore('meta').get(key);
    request.onsuccess = () => ok(request.result);
  });
  const base = await get('base');
  const versions = (await get('versions')) ?? {};
  db.close();
  if (!base) return 'none';
  return Object.keys(versions).every((c) => base.versions[c] === versions[c]) ? 'fresh' : 'stale';
})()`;

export const DROP_SAVED_BASE = `(async () => {
  const db = await ${OPEN_REPLICA};
  await new Promise((ok) => {
    const tx = db.transaction('meta', 'readwrite');
    tx.objectStore('meta').delete('base');
    tx.oncomplete = ok;
  });
  db.close();
})()`;
