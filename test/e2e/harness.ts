// The end-to-end stack, started per test file on free ports: the embedded MongoDB, the local gateway
// serving a fresh build of the web app and the real handlers, and Debian's Chromium driven by
// playwright-core. Everything started here is stopped by `stop()`; `useStack()` does both for a test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { attachWebSocketApi } from '../../infra/local/websocket-api.ts';
import { buildWeb } from '../../web/build.ts';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';
import { type Started, useStarted } from '../support/use-started.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export interface Stack {
  url: string;
  /** The directory the gateway serves the web build from. */
  webRoot: string;
  browser: Browser;
  gateway: LocalGateway;
  /** A new device: a browser context with its own storage and cookies, closed by `stop()`. */
  device(options?: BrowserContextOptions): Promise<BrowserContext>;
  stop(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface StackOptions {
  /** Attach the local WebSocket API (pokes); without it the app syncs by polling alone. */
  websocket?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const mongo: TestMongo = await startTestMongo();
  const webRoot = await mkdtemp(join(tmpdir(), 'routine-sync-web-'));
  await buildWeb({ outDir: webRoot });
  const gateway = await createLocalGateway({
    port: 0,
    host: '127.0.0.1',
    webRoot,
    env: { MONGODB_URI: mongo.uri },
  });
  await ensureIndexes(await getDb());
  const websocket = options.websocket ? attachWebSocketApi(gateway) : undefined;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    url: gateway.url,
    webRoot,
    browser,
    gateway,
    async device(options = {}) {
      const context = await browser.newContext({ baseURL: gateway.url, ...options });
      contexts.push(context);
      return context;
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await websocket?.stop();
      await gateway.close();
      await closeMongoClient();
      await mongo.stop();
      await rm(webRoot, { recursive: true, force: true });
    },
  };
}

/** The stack for a whole test file: started in beforeAll, stopped in afterAll. */
export function useStack(options: StackOptions = {}): Started<Stack> {
  return useStarted('useStack()', () => startStack(options), 120_000);
}

let accounts = 0;

/** A fresh, unique account email and a password that passes the policy. */
export function newAccount(): { email: string; password: string } {
  accounts += 1;
  return { email: `user${Date.now()}${accounts}@example.com`, password: 'correct horse battery staple 42' };
}

export async function signUp(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('link', { name: 'Today' }).waitFor();
}

export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Today' }).waitFor();
}

/** Creates a task scheduled every day through the Tasks screen. */
export async function addTask(page: Page, title: string, points = 1): Promise<void> {
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Points').fill(String(points));
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.getByText(title).first().waitFor();
}

/** Counts the page's pull requests from now on (a live counter). */
export function countPulls(page: Page): { count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.url().includes('/api/sync/pull')) counter.count += 1;
  });
  return counter;
}

export function syncStatus(page: Page) {
  return page.getByRole('status').filter({ hasText: /^(Synced|Syncing|Offline|Can't reach|\d+ pending)/ });
}

export function taskItem(page: Page, title: string) {
  return page.getByRole('listitem', { name: title, exact: true });
}

/** Waits until the service worker controls the page, so a reload works offline. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
      });
    }
  });
}

export async function waitForStatus(page: Page, pattern: RegExp, timeout = 15_000): Promise<string> {
  const status = page.getByRole('status').filter({ hasText: pattern });
  await status.waitFor({ timeout });
  return (await status.textContent()) ?? '';
}

/** What the server holds for the signed-in user (a full pull), read through the page's session. */
export async function serverRecords(page: Page): Promise<Record<string, Array<Record<string, unknown>>>> {
  return page.evaluate(async () => {
    const response = await fetch('/api/sync/pull?since=0');
    const body = (await response.json()) as { changes: Record<string, Array<Record<string, unknown>>> };
    return body.changes;
  });
}
