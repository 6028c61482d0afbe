// The installable app in Chromium: no installability errors, a clean console, the site's config as
// deployed, and the app starts offline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  newAccount,
  signUp,
  useStack,
  waitForOfflineShell,
  waitForStatus,
} from './harness.ts';

// With the WebSocket API, as `npm start` serves it.
const stack = useStack({ websocket: true });

describe('installable app', () => {
  // A browser profile on disk: Chromium never offers to install from an incognito context.
  it('is installable by Chromium', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'pwa-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      baseURL: stack.url,
    });
    try {
      const page = await context.newPage();
      await signUp(page, newAccount());
      await waitForOfflineShell(page);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 90_000);

  it('starts offline once loaded (reload without a network shows Today), with its manifest, icons and favicon', async () => {
    const context = await stack.device();
    const page = await context.newPage();
    await signUp(page, newAccount());
    await waitForOfflineShell(page);
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    const answers = await page.evaluate(async () => {
      const status = (path: string) =>
        fetch(path).then(
          (r) => `${path} ${r.status} ${r.headers.get('content-type')}`,
          () => `${path} failed`,
        );
      const manifest = await fetch('/manifest.webmanifest').then(
        (r) => r.json() as Promise<{ icons: { src: string }[] }>,
        () => ({ icons: [] }),
      );
      const paths = [
        '/manifest.webmanifest',
        '/favicon.ico',
        '/icon.svg',
        ...manifest.icons.map((i) => i.src),
      ];
      return Promise.all(paths.map(status));
    });
    expect(answers.length).toBeGreaterThan(4);
    for (const answer of answers) expect(answer).toMatch(/ 200 (application\/manifest\+json|image\/)/);
  }, 90_000);

  it('loads with a clean console and connects to the WebSocket API its /config.json names', async () => {
    const context = await stack.device();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await signUp(page, newAccount());
    // A signed-out visitor's first /api/auth/me is answered 401 by design: only the signed-in app counts.
    problems.length = 0;
    await waitForStatus(page, /^Synced/);
    const config = await page.evaluate(async () => {
      const res = await fetch('/config.json');
      return { type: res.headers.get('content-type'), body: (await res.json()) as unknown };
    });
    const port = new URL(stack.url).port;
    expect(config).toEqual({
      type: 'application/json',
      body: { webSocketUrl: `ws://127.0.0.1:${port}/ws` },
    });
    await expect.poll(() => sockets.map((url) => url.split('?')[0])).toContain(`ws://127.0.0.1:${port}/ws`);
    await page.reload();
    await waitForStatus(page, /^Synced/);
    expect(problems).toEqual([]);
  }, 90_000);
});
