// A page per task in Chromium: the history grid by keyboard and mouse, marking a past day, strength,
// streaks and completion; the schedule picker and title limit of the task form; explanations of the
// figures and the welcome of an empty account. Light and dark, desktop and phone, axe clean.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addDays, utcDateOf } from '../../core/dates.ts';
import { createHlc } from '../../core/hlc.ts';
import { newDeviceId, newId } from '../../core/ids.ts';
import { newAccount, signIn, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const stack = useStack();

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; help: string; impact: string | null; nodes: Array<{ target: string[] }> };
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.slice(0, 3) }))
    .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const TODAY = utcDateOf(Date.now());
const day = (n: number) => addDays(TODAY, n);

/** An account whose "Stretch" (daily) was created ten days ago: done −10…−3 but −5, skipped −2. */
async function seededAccount(): Promise<{ account: { email: string; password: string }; taskId: string }> {
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
  const mutations = [
    {
      name: 'createTask',
      args: {
        id: taskId,
        title: 'Stretch',
        points: 2,
        weekdays: [0, 1, 2, 3, 4, 5, 6],
        createdOn: day(-10),
        order: 0,
      },
    },
    ...[-10, -9, -8, -7, -6, -4, -3].map((n) => ({ name: 'completeTask', args: { taskId, date: day(n) } })),
    { name: 'skipTask', args: { taskId, date: day(-2) } },
  ].map((m, i) => ({ id: i + 1, ...m, hlc: clock.next() }));
  const push = await fetch(`${stack.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ deviceId, mutations }),
  });
  expect(push.status).toBe(200);
  return { account, taskId };
}

/** A new device whose pages accept the injected axe-core script despite the app's CSP. */
async function device(): Promise<Page> {
  const context = await stack.device({ bypassCSP: true });
  return context.newPage();
}

const focusedName = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent,
  );

describe('the task page', () => {
  it('opens from Today, shows the history by day, and marks a missed day done by keyboard', async () => {
    const { account, taskId } = await seededAccount();
    const page = await device();
    await signIn(page, account);
    await waitForStatus(page, /^Synced/);
    await taskItem(page, 'Stretch').getByRole('link', { name: 'Stretch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stretch' }).waitFor();
    expect(page.url()).toContain(`#/tasks/${taskId}`);
    expect(await page.title()).toBe('Stretch · Routine Sync');

    const grid = page.getByRole('grid', { name: 'History' });
    const cell = (date: string) => grid.getByRole('gridcell', { name: new RegExp(`^${date}, `) });
    expect(await cell(day(-1)).getAttribute('aria-label')).toMatch(/, missed$/);
    expect(await cell(day(-2)).getAttribute('aria-label')).toMatch(/, skipped$/);
    expect(await cell(day(-5)).getAttribute('aria-label')).toMatch(/, missed$/);
    expect(await cell(day(-3)).getAttribute('aria-label')).toMatch(/, done$/);
    expect(await cell(day(-11)).getAttribute('aria-label')).toMatch(/, not scheduled$/);
    expect(await cell(TODAY).getAttribute('aria-label')).toMatch(/, open$/);
    // Twelve calendar months, one cell per day.
    expect(await grid.getByRole('gridcell').count()).toBeGreaterThanOrEqual(335);
    expect(await grid.getByRole('gridcell').count()).toBeLessThanOrEqual(366);

    const stat = (label: string) => page.getByRole('group', { name: label });
    expect(await stat('Current streak').textContent()).toContain('0 times');
    expect(await stat('Best streak').textContent()).toContain('5 times');

    // The roving focus starts on today; arrow keys move by a day and a week.
    await cell(TODAY).focus();
    await page.keyboard.press('ArrowUp');
    expect(await focusedName(page)).toMatch(new RegExp(`^${day(-7)}, `));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedName(page)).toMatch(new RegExp(`^${day(-1)}, .*missed$`));
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Mark done' }).waitFor();
    expect(await focusedName(page)).toBe('Mark done');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (date) => document.activeElement?.getAttribute('aria-label')?.startsWith(date),
      day(-1),
    );
    expect(await focusedName(page)).toMatch(/, done$/);
    await page.getByRole('group', { name: 'Current streak' }).getByText('3 times').waitFor();
    expect(await stat('Strength').textContent()).toMatch(/\d+%/);
    await page
      .getByRole('img', { name: /^Strength from / })
      .locator('canvas')
      .waitFor();
    await page.screenshot({ path: '/tmp/e2e-task-page-light.png', fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // The same mutation as Today's: the mark shows there and syncs.
    await waitForStatus(page, /^Synced/);
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await taskItem(page, 'Stretch')
      .getByText(/Completed/)
      .waitFor();
  }, 120_000);

  it('clears a mark with the mouse, explains strength by keyboard, and is axe clean in dark at phone size', async () => {
    const { account } = await seededAccount();
    const context = await stack.browser.newContext({
      baseURL: stack.url,
      bypassCSP: true, // to inject axe-core
      viewport: { width: 360, height: 740 },
      isMobile: true,
    });
    try {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: 'dark' });
      await signIn(page, account);
      await page.getByRole('link', { name: 'Tasks', exact: true }).click();
      await taskItem(page, 'Stretch').getByRole('link', { name: 'Stretch' }).click();
      const grid = page.getByRole('grid', { name: 'History' });
      await grid.getByRole('gridcell', { name: new RegExp(`^${day(-3)}, .*done$`) }).click();
      await page.getByRole('button', { name: 'Clear' }).click();
      await grid.getByRole('gridcell', { name: new RegExp(`^${day(-3)}, .*missed$`) }).waitFor();

      const explain = page.getByRole('button', { name: 'What is strength?' });
      expect(await page.getByText(/How established the habit is/).isVisible()).toBe(false);
      await explain.focus();
      await page.keyboard.press('Enter');
      expect(await explain.getAttribute('aria-expanded')).toBe('true');
      await page.getByText(/How established the habit is/).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.screenshot({ path: '/tmp/e2e-task-page-dark-phone.png', fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('answers a shared /tasks/<id> link and an unknown task', async () => {
    const { account, taskId } = await seededAccount();
    const page = await (await stack.device()).newPage();
    await signIn(page, account);
    await page.goto(`/tasks/${taskId}`);
    await page.getByRole('heading', { level: 1, name: 'Stretch' }).waitFor();
    await page.goto(`/#/tasks/${newId()}`);
    await page.getByRole('heading', { level: 1, name: 'Task not found' }).waitFor();
  }, 90_000);
});

describe('the task form and the first screen of an empty account', () => {
  it('welcomes a new account, picks a schedule kind, and never cuts a long title', async () => {
    const page = await device();
    await page.emulateMedia({ colorScheme: 'light' });
    await signUp(page, newAccount());
    await page.getByRole('heading', { level: 2, name: 'Welcome to Routine Sync' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Add a task' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();

    const title = page.getByLabel('Title');
    await title.fill('x'.repeat(125));
    await page.getByText('5 characters over the limit of 120').waitFor();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('alert').getByText('The title is 5 characters too long (at most 120).').waitFor();
    expect(await title.inputValue()).toHaveLength(125);
    expect(await page.locator('.task-list.manage li').count()).toBe(0);

    await title.fill('Read');
    await page.getByText('Up to 120 characters, 116 left').waitFor();
    await page.getByRole('radio', { name: 'Times a week' }).check();
    await page.getByLabel('How many times a week').fill('3');
    await page.getByRole('button', { name: 'Add task' }).click();
    await taskItem(page, 'Read').getByText('3 times a week').waitFor();
    await page.getByRole('radio', { name: 'Every few days' }).check();
    await page.getByLabel('Every how many days').fill('0');
    await title.fill('Water the plants');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page
      .getByRole('alert')
      .getByText('The interval is a whole number of days from 1 to 365.')
      .waitFor();
    await page.getByLabel('Every how many days').fill('4');
    await page.getByRole('button', { name: 'Add task' }).click();
    await taskItem(page, 'Water the plants').getByText('Every 4 days').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A times-a-week task is on Today (offered, or due once the week's remaining days need it).
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await taskItem(page, 'Read').waitFor();
  }, 120_000);
});
