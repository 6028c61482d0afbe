// The weight graph's range switch and gaps, and the dashboard's week-by-week charts, in Chromium:
// by accessible names, light and dark, desktop and phone, axe clean.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addDays, utcDateOf } from '../../core/dates.ts';
import { createHlc } from '../../core/hlc.ts';
import { newDeviceId, newId } from '../../core/ids.ts';
import { newAccount, signIn, useStack, waitForStatus } from './harness.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const stack = useStack();

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: Array<{ target: string[] }> };
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A device whose pages accept the injected axe-core script despite the app's CSP. */
async function device(options: { width: number; height: number } | undefined = undefined): Promise<Page> {
  const context = await stack.device({
    bypassCSP: true,
    ...(options ? { viewport: options, isMobile: true } : {}),
  });
  return context.newPage();
}

const TODAY = utcDateOf(Date.now());
const day = (n: number) => addDays(TODAY, n);

/**
 * An account with a weight 520 days ago (a lone old entry), 10 recent ones, and a daily task created
 * 200 days ago, done on most days.
 */
async function seededAccount(): Promise<{ email: string; password: string }> {
  const account = newAccount();
  const signup = await fetch(`${stack.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  expect(signup.status).toBe(201);
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const taskId = newId();
  const deviceId = newDeviceId();
  const clock = createHlc(deviceId, Date.now);
  const weights = [-520, ...Array.from({ length: 10 }, (_, i) => -i)].map((n) => ({
    name: 'logWeight',
    args: { date: day(n), value: 80 + n / 100, unit: 'kg' },
  }));
  const marks = Array.from({ length: 200 }, (_, i) => -200 + i)
    .filter((n) => n % 4 !== 0)
    .map((n) => ({ name: 'completeTask', args: { taskId, date: day(n) } }));
  const task = {
    name: 'createTask',
    args: {
      id: taskId,
      title: 'Walk',
      points: 3,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      createdOn: day(-200),
      order: 0,
    },
  };
  const mutations = [task, ...weights, ...marks].map((m, i) => ({ id: i + 1, ...m, hlc: clock.next() }));
  for (let i = 0; i < mutations.length; i += 100) {
    const push = await fetch(`${stack.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ deviceId, mutations: mutations.slice(i, i + 100) }),
    });
    expect(push.status).toBe(200);
  }
  return account;
}

let shared: { email: string; password: string } | undefined;
const account = async () => {
  shared ??= await seededAccount();
  return shared;
};

describe('the weight graph', () => {
  it('opens on the range with data, and one old entry no longer stretches it', async () => {
    const page = await device();
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page, await account());
    await waitForStatus(page, /^Synced/);
    await page.getByRole('link', { name: 'Health', exact: true }).click();
    const range = page.getByRole('group', { name: 'Graph range' });
    await range.getByRole('radio', { name: '30 days', checked: true }).waitFor();
    await page
      .getByRole('img', { name: 'Graph of 10 entries with the 7-day trend, the last 30 days' })
      .waitFor();
    await range.getByRole('radio', { name: 'All' }).check();
    const all = page.getByRole('img', { name: 'Graph of 11 entries with the 7-day trend, all entries' });
    await all.locator('canvas').waitFor();
    // The range switch is radios: the arrow keys move between ranges.
    await range.getByRole('radio', { name: 'All' }).focus();
    await page.keyboard.press('ArrowLeft');
    await range.getByRole('radio', { name: '1 year', checked: true }).waitFor();
    await page.getByRole('img', { name: /Graph of 10 entries .* the last year/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});

describe('the dashboard charts', () => {
  for (const [scheme, size] of [
    ['light', undefined],
    ['dark', { width: 360, height: 740 }],
  ] as const) {
    it(`shows points and completion per week with a range switch and a table for screen readers (${scheme}${size ? ', phone' : ''})`, async () => {
      const page = await device(size);
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, await account());
      await waitForStatus(page, /^Synced/);
      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: 'Week by week' }).waitFor();
      await page.getByRole('radio', { name: '6 months', checked: true }).waitFor();
      await page
        .getByRole('img', { name: /^Points per week over the last 26 weeks: most \d+/ })
        .locator('canvas')
        .waitFor();
      await page
        .getByRole('img', { name: /^Completion per week over the last 26 weeks: \d+% on average/ })
        .waitFor();
      const table = page.getByRole('table', { name: 'Points and completion per week' });
      expect(await table.getByRole('row').count()).toBe(27);
      await page.getByRole('radio', { name: '3 months' }).check();
      await page.getByRole('img', { name: /^Points per week over the last 13 weeks/ }).waitFor();
      expect(await table.getByRole('row').count()).toBe(14);
      const explain = page.getByRole('button', { name: 'What is the better percentage?' });
      const text = page.getByText(/each finished day multiplies your score/);
      expect(await text.isVisible()).toBe(false);
      await explain.click();
      await text.waitFor();
      expect(await explain.getAttribute('aria-expanded')).toBe('true');
      if (size)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.width,
        );
      await page.screenshot({ path: `/tmp/e2e-dashboard-${scheme}.png`, fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
    }, 120_000);
  }
});
