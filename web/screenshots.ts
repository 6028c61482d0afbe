// `npm run screenshots`: the README's pictures, from the real app on the local stack with a seeded
// account (web/seed-account.ts: five habits of every schedule kind over fourteen months, a weight log
// with a gap), saved to docs/screenshots/. Run it again after a visible change and commit the PNGs.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { utcDateOf } from '../core/dates.ts';
import { newAccount, type Stack, startStack, waitForStatus } from '../test/e2e/harness.ts';
import { type Account, habitHistory, pushMutations, signUpAccount } from './seed-account.ts';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// Tall enough for the dashboard; the task page's top: figures, the strength chart and the first
// months of the history calendar.
const DESKTOP = { viewport: { width: 1100, height: 1380 }, deviceScaleFactor: 1 };

interface Shot {
  file: string;
  device: typeof PHONE | typeof DESKTOP;
  colorScheme: 'light' | 'dark';
  /** Opens the screen and waits until everything it draws is drawn. */
  open(page: Page, taskIds: string[]): Promise<void>;
}

async function chartsDrawn(page: Page, count: number): Promise<void> {
  await page
    .locator('.chart canvas')
    .nth(count - 1)
    .waitFor();
}

const SHOTS: Shot[] = [
  {
    file: 'today-phone.png',
    device: PHONE,
    colorScheme: 'light',
    open: async (page) => {
      await page.goto('/#/today');
      await page.locator('.task-list li').first().waitFor();
    },
  },
  {
    file: 'task-page-desktop.png',
    device: DESKTOP,
    colorScheme: 'light',
    open: async (page, taskIds) => {
      await page.goto(`/#/tasks/${taskIds[0]}`);
      await page.getByRole('grid', { name: 'History' }).waitFor();
      await chartsDrawn(page, 1);
    },
  },
  {
    file: 'dashboard-desktop-dark.png',
    device: DESKTOP,
    colorScheme: 'dark',
    open: async (page) => {
      await page.goto('/#/dashboard');
      await page.getByRole('heading', { name: 'Week by week' }).waitFor();
      await chartsDrawn(page, 2);
    },
  },
];

async function signedInPage(stack: Stack, browser: Browser, shot: Shot, account: Account): Promise<Page> {
  const context = await browser.newContext({
    ...shot.device,
    baseURL: stack.url,
    colorScheme: shot.colorScheme,
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Today' }).waitFor({ timeout: 60_000 });
  await waitForStatus(page, /^Synced/, 120_000);
  return page;
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const account = newAccount();
    const cookie = await signUpAccount(stack.url, account);
    const { mutations, taskIds } = habitHistory(utcDateOf(Date.now()));
    await pushMutations(stack.url, cookie, mutations);
    await mkdir(OUT_DIR, { recursive: true });
    for (const shot of SHOTS) {
      const page = await signedInPage(stack, stack.browser, shot, account);
      await shot.open(page, taskIds);
      // Focus rings and the caret are not part of what a reader should see.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const path = join(OUT_DIR, shot.file);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      await page.context().close();
      console.log(`[screenshots] ${path}`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error('[screenshots] failed:', error);
  process.exitCode = 1;
});
