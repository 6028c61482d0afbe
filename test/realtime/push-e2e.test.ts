// Real-time pokes end to end in Chromium: the e2e stack of test/e2e (embedded MongoDB, local gateway,
// a fresh web build) with the WebSocket API attached. Each browser context is one device; every
// context's WebSocket goes through Playwright's routeWebSocket, which lets the test read the frames
// the server sends and cut the socket like a network failure would.
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, signIn, signUp, taskItem, useStack, waitForStatus } from '../e2e/harness.ts';

const stack = useStack({ websocket: true });

interface ObservedDevice {
  context: BrowserContext;
  page: Page;
  /** Every message the server sent this device's sockets, parsed. */
  received: Array<{ type?: string; version?: number }>;
  /** Sockets the page opened and the test let through. */
  opened: number;
  pulls: number;
  /** While set, the page's socket attempts fail as if the network refused them. */
  blocked: boolean;
  kill(): void;
}

async function observedDevice(): Promise<ObservedDevice> {
  const context = await stack.device();
  const routes: WebSocketRoute[] = [];
  const device: ObservedDevice = {
    context,
    page: await context.newPage(),
    received: [],
    opened: 0,
    pulls: 0,
    blocked: false,
    kill: () => {
      for (const route of routes.splice(0)) void route.close({ code: 1006 }).catch(() => undefined);
    },
  };
  await context.routeWebSocket(/\/ws\?/, (route) => {
    if (device.blocked) {
      void route.close({ code: 1006 }).catch(() => undefined);
      return;
    }
    device.opened += 1;
    routes.push(route);
    const server = route.connectToServer();
    server.onMessage((message) => {
      device.received.push(JSON.parse(String(message)) as { type?: string });
      route.send(message);
    });
  });
  device.page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/sync/pull') device.pulls += 1;
  });
  return device;
}

const pokes = (d: ObservedDevice) => d.received.filter((m) => m.type === 'poke');

async function complete(page: Page, title: string): Promise<void> {
  await taskItem(page, title).getByRole('button', { name: 'Complete' }).click();
}

async function waitForSocket(d: ObservedDevice, count = 1): Promise<void> {
  await expect.poll(() => d.opened, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
}

describe('real-time pokes in the browser', () => {
  it("shows a Complete on A on B through a poke; another user's device receives nothing", async () => {
    const account = newAccount();
    const a = await observedDevice();
    await signUp(a.page, account);
    await addTask(a.page, 'Stretch');
    await addTask(a.page, 'Read');
    await a.page.getByRole('link', { name: 'Today' }).click();
    await waitForStatus(a.page, /^Synced/);

    const b = await observedDevice();
    await signIn(b.page, account);
    await taskItem(b.page, 'Stretch').waitFor({ timeout: 15_000 });
    const c = await observedDevice();
    await signUp(c.page, newAccount());
    await Promise.all([waitForSocket(a), waitForSocket(b), waitForSocket(c)]);

    const clicked = Date.now();
    await complete(a.page, 'Stretch');
    await taskItem(b.page, 'Stretch').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 10_000 });
    console.log(`[push-e2e] Complete on A shown on B after ${Date.now() - clicked} ms`);
    expect(pokes(b).length).toBeGreaterThanOrEqual(1);
    // A's own write never pokes A; the other user hears of none of it.
    expect(pokes(a)).toEqual([]);
    await complete(a.page, 'Read');
    await taskItem(b.page, 'Read').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 10_000 });
    expect(pokes(c)).toEqual([]);

    // While the socket is up, an idle device does not poll (polling would pull every 5 s).
    const before = b.pulls;
    await b.page.waitForTimeout(7_000);
    expect(b.pulls).toBe(before);
  }, 120_000);

  it("falls back to polling when B's socket dies, and goes back to pokes when it can reconnect", async () => {
    const account = newAccount();
    const a = await observedDevice();
    await signUp(a.page, account);
    for (const title of ['Walk', 'Floss', 'Cook']) await addTask(a.page, title);
    await a.page.getByRole('link', { name: 'Today' }).click();
    await waitForStatus(a.page, /^Synced/);
    const b = await observedDevice();
    await signIn(b.page, account);
    await taskItem(b.page, 'Walk').waitFor({ timeout: 15_000 });
    await waitForSocket(b);

    // The network drops B's socket and refuses new ones: B must poll again.
    b.blocked = true;
    b.kill();
    const pokesBefore = pokes(b).length;
    await complete(a.page, 'Walk');
    await taskItem(b.page, 'Walk').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 20_000 });
    expect(pokes(b).length).toBe(pokesBefore);

    // The network is back: B reconnects on its own (backoff), with a fresh ticket, and pokes resume.
    b.blocked = false;
    await waitForSocket(b, 2);
    await complete(a.page, 'Floss');
    await taskItem(b.page, 'Floss').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => pokes(b).length, { timeout: 10_000 }).toBeGreaterThan(pokesBefore);
  }, 180_000);
});
