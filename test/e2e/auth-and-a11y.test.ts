// Sign up, sign in and sign out in Chromium, and axe-core on every screen (light and dark).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, signIn, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

// Evaluated through the DevTools protocol: the app's CSP (script-src 'self') refuses an injected tag.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const stack = useStack();

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('accounts in the browser', () => {
  it('shows the sign-in screen to a signed-out visitor, and signs up, out and in again', async () => {
    const account = newAccount();
    const page = await (await stack.device()).newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signUp(page, account);
    await waitForStatus(page, /^Synced/);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').waitFor();
    expect(await page.getByRole('link', { name: 'Today' }).count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, account);
    await waitForStatus(page, /^Synced/);
  }, 90_000);

  it('signing out in one tab signs out the other tabs at once', async () => {
    const context = await stack.device();
    const first = await context.newPage();
    await signUp(first, newAccount());
    const second = await context.newPage();
    await second.goto('/#/today');
    await second.getByRole('link', { name: 'Today' }).waitFor();
    await first.getByRole('link', { name: 'Settings' }).click();
    await first.getByRole('button', { name: 'Sign out', exact: true }).click();
    await second.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
  }, 60_000);

  it('explains a wrong password', async () => {
    const account = newAccount();
    const page = await (await stack.device()).newPage();
    await signUp(page, account);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /do not match/ });
    await alert.waitFor();
  }, 60_000);
});

describe('screens', () => {
  it('manages tasks: create, edit, schedule, reorder, archive and restore', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await addTask(page, 'Alpha');
    await addTask(page, 'Beta');
    const titles = () => page.locator('.task-list.manage .task-title').allTextContents();
    expect(await titles()).toEqual(['Alpha', 'Beta']);
    await page.getByRole('button', { name: 'Move Beta up' }).click();
    expect(await titles()).toEqual(['Beta', 'Alpha']);
    await taskItem(page, 'Alpha').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Title').nth(1).fill('Alpha two');
    await page.getByRole('checkbox', { name: 'Sunday' }).nth(1).uncheck();
    await page.getByRole('button', { name: 'Save task' }).click();
    await page.getByText('Alpha two').waitFor();
    expect(await taskItem(page, 'Alpha two').textContent()).toContain('Mon, Tue, Wed, Thu, Fri, Sat');
    await taskItem(page, 'Beta').getByRole('button', { name: 'Archive' }).click();
    expect(await titles()).toEqual(['Alpha two']);
    await page.getByText('Archived (1)').click();
    await taskItem(page, 'Beta').getByRole('button', { name: 'Restore' }).click();
    expect(await titles()).toEqual(['Beta', 'Alpha two']);
    await waitForStatus(page, /^Synced/);
    // All of it reached the server: a reload (from IndexedDB, then a pull) shows the same.
    await page.reload();
    await page.locator('.task-list.manage').waitFor();
    expect(await titles()).toEqual(['Beta', 'Alpha two']);
  }, 90_000);

  it('logs weights and draws the graph with its 7-day trend', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await page.getByRole('link', { name: 'Health' }).click();
    for (const [date, value] of [
      ['2026-01-01', '80.4'],
      ['2026-01-03', '80.0'],
      ['2026-01-05', '79.6'],
    ] as const) {
      await page.getByLabel('Date').fill(date);
      await page.getByLabel('Weight').fill(value);
      await page.getByRole('button', { name: 'Save weight' }).click();
    }
    await page
      .getByRole('img', { name: /Graph of 3 entries/ })
      .locator('canvas')
      .waitFor();
    expect(await page.locator('.weight-list li').count()).toBe(3);
    await page.getByRole('button', { name: /Delete the entry of Jan 3, 2026/ }).click();
    expect(await page.locator('.weight-list li').count()).toBe(2);
    await page.screenshot({ path: '/tmp/e2e-health-graph.png' });
  }, 90_000);
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('accessibility (axe-core)', () => {
  const variants = [
    ['light', 'desktop'],
    ['dark', 'desktop'],
    ['light', 'phone'],
    ['dark', 'phone'],
  ] as const;
  for (const [scheme, size] of variants) {
    it(`has no serious or critical violation on any screen (${scheme}, ${size})`, async () => {
      const context = await stack.device(size === 'phone' ? PHONE : {});
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await signUp(page, newAccount());
      await addTask(page, 'Floss', 2);
      await page.getByRole('link', { name: 'Health' }).click();
      await page.getByLabel('Weight').fill('70');
      await page.getByRole('button', { name: 'Save weight' }).click();
      for (const screen of ['Today', 'Tasks', 'Health', 'Dashboard', 'Settings']) {
        await page.getByRole('link', { name: screen }).click();
        await page.getByRole('heading', { level: 1, name: screen }).waitFor();
        if (screen === 'Today') await taskItem(page, 'Floss').waitFor();
        await page.screenshot({
          path: `/tmp/e2e-${scheme}-${size}-${screen.toLowerCase()}.png`,
          fullPage: true,
        });
        expect(await seriousViolations(page), screen).toEqual([]);
      }
    }, 120_000);
  }
});
