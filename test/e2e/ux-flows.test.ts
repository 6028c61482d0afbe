// What a keyboard and screen user notices: focus that stays where the work is, forms that start
// fresh and say what they did, and empty states that explain themselves.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, signIn, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

const stack = useStack();

// The server allows ten sign-ups per address an hour: tests that only need some account share one.
let shared: { email: string; password: string } | undefined;
async function enterSharedAccount(page: Page): Promise<void> {
  if (shared) return signIn(page, shared);
  shared = newAccount();
  await signUp(page, shared);
}

/** The accessible name (or text) of the focused element, or "BODY" when focus was dropped. */
async function focused(page: Page): Promise<string> {
  // The app moves focus after its re-render; a poll lets that land without assuming how long it takes.
  // A button that was just disabled may still hold focus until the app moves it on.
  await page
    .waitForFunction(
      () => {
        const el = document.activeElement as HTMLButtonElement | null;
        return el !== null && el !== document.body && !el.disabled;
      },
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('aria-label') ?? (el.id || el.textContent?.trim() || el.tagName);
  });
}

async function press(page: Page, name: string | RegExp, key = 'Enter'): Promise<void> {
  await page.getByRole('button', { name, exact: typeof name === 'string' }).focus();
  await page.keyboard.press(key);
}

describe('keyboard focus', () => {
  it('moves to the new screen’s heading when a tab is chosen from the keyboard', async () => {
    const page = await (await stack.device()).newPage();
    await enterSharedAccount(page);
    for (const [tab, heading] of [
      ['Health', 'health-title'],
      ['Dashboard', 'dashboard-title'],
      ['Tasks', 'tasks-title'],
    ] as const) {
      await page.getByRole('link', { name: tab }).focus();
      await page.keyboard.press('Enter');
      await page.locator(`#${heading}`).waitFor();
      expect(await focused(page)).toBe(heading);
    }
  }, 60_000);

  it('stays on the row when Complete, Skip and Undo replace each other on Today', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await addTask(page, 'Floss');
    await page.getByRole('link', { name: 'Today' }).click();
    const row = taskItem(page, 'Floss');
    await row.getByRole('button', { name: 'Skip' }).focus();
    await page.keyboard.press('Enter');
    await row.getByText('Skipped').waitFor();
    expect(await focused(page)).toBe('Undo');
    await page.keyboard.press('Enter');
    await row.getByRole('button', { name: 'Complete' }).waitFor();
    expect(await focused(page)).toBe('Complete');
    await page.keyboard.press('Enter');
    await row.getByText(/Completed/).waitFor();
    expect(await focused(page)).toBe('Undo');
  }, 60_000);

  it('moves into the edit form and back, follows a moved task, and survives an archive', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await addTask(page, 'Alpha');
    await addTask(page, 'Beta');
    await addTask(page, 'Gamma');
    await press(page, 'Edit Beta');
    await page.getByRole('button', { name: 'Save task' }).waitFor();
    expect(await focused(page)).toMatch(/^edit-.*-title$/);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save task' }).waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('Edit Beta');

    await press(page, 'Move Gamma up');
    await page.waitForFunction(
      () => document.querySelector('.task-list.manage .task-title')?.textContent === 'Alpha',
    );
    expect(await focused(page)).toBe('Move Gamma up');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('.task-list.manage .task-title')?.textContent === 'Gamma',
    );
    // At the top the up arrow is disabled: focus goes to the arrow that still works.
    expect(await focused(page)).toBe('Move Gamma down');

    await press(page, 'Archive Gamma');
    await page.getByText('Archived (1)').waitFor();
    expect(await focused(page)).toBe('Edit Alpha');
  }, 90_000);
});

describe('the task form', () => {
  it('starts the next task from the defaults, with the cursor in Title, and points at a mistake', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByLabel('Title').fill('Yoga');
    await page.getByLabel('Points').fill('4');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])
      await page.getByRole('checkbox', { name: day }).uncheck();
    await page.getByRole('button', { name: 'Add task' }).click();
    await taskItem(page, 'Yoga').getByText('4 points · Weekends').waitFor();
    expect(await page.getByLabel('Points').inputValue()).toBe('1');
    expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(7);
    expect(await focused(page)).toBe('new-task-title');

    await page.getByLabel('Title').fill('Run');
    await page.getByLabel('Points').fill('500');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('alert').filter({ hasText: 'Points are a whole number from 1 to 100.' }).waitFor();
    expect(await focused(page)).toBe('new-task-points');
    expect(await page.getByLabel('Points').getAttribute('aria-invalid')).toBe('true');
  }, 60_000);
});

describe('screens explain themselves', () => {
  it('names the screen in the tab title and says when the routine starts', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    expect(await page.title()).toBe('Today · Routine Sync');
    // No task yet: there is no earlier day to mark.
    expect(await page.getByRole('button', { name: 'Previous day' }).isDisabled()).toBe(true);
    await addTask(page, 'Stretch');
    expect(await page.title()).toBe('Tasks · Routine Sync');
    await page.getByRole('link', { name: 'Today' }).click();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.getByText(/^Your routine starts on /).waitFor();
    expect(await page.getByRole('button', { name: 'Previous day' }).isDisabled()).toBe(true);
  }, 60_000);

  it('treats a day off as a day off, not as a missing routine', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await page.getByRole('link', { name: 'Add a task' }).waitFor();
    const weekday = await page.evaluate(
      () =>
        ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date().getDay()],
    );
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByLabel('Title').fill('Not today');
    await page.getByRole('checkbox', { name: weekday as string }).uncheck();
    await page.getByRole('button', { name: 'Add task' }).click();
    await taskItem(page, 'Not today').waitFor();
    // Exact: the task's own title is a link too ("Not today").
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByText('Nothing scheduled today.').waitFor();
    expect(await page.getByRole('link', { name: 'Add a task' }).count()).toBe(0);
  }, 60_000);
});

describe('a new device', () => {
  it('says it is loading until its first pull, rather than showing zeros and empty states', async () => {
    const account = newAccount();
    const first = await (await stack.device()).newPage();
    await signUp(first, account);
    await addTask(first, 'Plank', 3);
    await first.getByRole('link', { name: 'Today' }).click();
    await taskItem(first, 'Plank').getByRole('button', { name: 'Complete' }).click();
    await waitForStatus(first, /^Synced/);

    const page = await (await stack.device()).newPage();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/sync/pull*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/#/dashboard');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Loading your data…').waitFor();
    expect(await page.getByRole('group', { name: 'Total points' }).count()).toBe(0);
    release();
    await page.getByRole('group', { name: 'Total points' }).getByText('3').waitFor();
    expect(await page.getByText('Loading your data…').count()).toBe(0);
  }, 60_000);
});

describe('the weight log', () => {
  it('edits an entry in place, says what a save replaced, and undoes a delete', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await page.getByRole('link', { name: 'Health' }).click();
    const today = await page.getByLabel('Date').inputValue();
    await page.getByLabel('Date').fill('2026-01-02');
    await page.getByLabel('Weight').fill('81.4');
    await page.getByRole('button', { name: 'Save weight' }).click();
    await page.getByText('Saved 81.4 kg for Jan 2, 2026.').waitFor();
    // The date goes back to today, so the next weight does not overwrite Jan 2 by surprise.
    expect(await page.getByLabel('Date').inputValue()).toBe(today);

    await page.getByRole('button', { name: 'Edit the entry of Jan 2, 2026' }).click();
    expect(await focused(page)).toBe('weight-input');
    expect(await page.getByLabel('Weight').inputValue()).toBe('81.4');
    await page.getByText('There is already 81.4 kg for Jan 2, 2026: saving replaces it.').waitFor();
    await page.getByLabel('Weight').fill('81.1');
    await page.keyboard.press('Enter');
    await page.getByText('Saved 81.1 kg for Jan 2, 2026 (it replaces 81.4 kg).').waitFor();
    expect(await page.locator('.weight-list li').count()).toBe(1);

    await page.getByRole('button', { name: 'Delete the entry of Jan 2, 2026' }).click();
    await page.getByText('Deleted 81.1 kg for Jan 2, 2026.').waitFor();
    await page.getByText('No weights logged yet.', { exact: false }).waitFor();
    expect(await focused(page)).toBe('weight-undo');
    await page.keyboard.press('Enter');
    await page.getByRole('listitem', { name: 'Jan 2, 2026: 81.1 kg' }).waitFor();
    await page.getByText('Restored 81.1 kg for Jan 2, 2026.').waitFor();
  }, 60_000);

  it('moves the form on to the new day at midnight, as Today does', async () => {
    const page = await (await stack.device()).newPage();
    await page.clock.install({ time: new Date(2026, 2, 10, 23, 58) });
    await enterSharedAccount(page);
    await page.getByRole('link', { name: 'Health' }).click();
    expect(await page.getByLabel('Date').inputValue()).toBe('2026-03-10');
    await page.clock.fastForward('05:00');
    await page.waitForFunction(
      () => (document.getElementById('weight-date') as HTMLInputElement).value === '2026-03-11',
    );
  }, 60_000);

  it('keeps the graph when a change that is not a weight arrives from another device', async () => {
    const account = newAccount();
    const phone = await (await stack.device()).newPage();
    await signUp(phone, account);
    await addTask(phone, 'Squats');
    const laptop = await (await stack.device()).newPage();
    await signIn(laptop, account);
    await laptop.getByRole('link', { name: 'Health' }).click();
    await laptop.getByLabel('Weight').fill('70.2');
    await laptop.getByRole('button', { name: 'Save weight' }).click();
    await laptop.locator('.chart canvas').waitFor();
    await laptop.evaluate(() => {
      (window as unknown as { chartCanvas: Element | null }).chartCanvas =
        document.querySelector('.chart canvas');
    });
    const pulled = laptop.waitForResponse(async (response) => {
      if (!response.url().includes('/api/sync/pull')) return false;
      return (await response.text()).includes('"completed"');
    });
    await phone.getByRole('link', { name: 'Today' }).click();
    await taskItem(phone, 'Squats').getByRole('button', { name: 'Complete' }).click();
    await pulled;
    // Effects run after the frame that renders the pulled change.
    await laptop.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))),
    );
    const same = await laptop.evaluate(
      () =>
        (window as unknown as { chartCanvas: Element | null }).chartCanvas ===
        document.querySelector('.chart canvas'),
    );
    expect(same).toBe(true);
  }, 60_000);

  it('shows the latest entry in the graph legend instead of empty placeholders', async () => {
    const page = await (await stack.device()).newPage();
    await enterSharedAccount(page);
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByLabel('Weight').fill('72.5');
    await page.getByRole('button', { name: 'Save weight' }).click();
    const legend = page.locator('.chart .u-legend');
    await legend.waitFor();
    const text = (await legend.textContent()) ?? '';
    expect(text).not.toContain('--');
    expect(text).toContain('72.5');
  }, 60_000);
});

describe('narrow phones', () => {
  it('fits every screen and all five tabs into 320 px, without sideways scrolling', async () => {
    const context = await stack.browser.newContext({
      baseURL: stack.url,
      viewport: { width: 320, height: 640 },
      isMobile: true,
    });
    try {
      const page = await context.newPage();
      await enterSharedAccount(page);
      await addTask(page, 'Stretch the hamstrings, then the calves, then the whole back, slowly');
      await page.getByRole('link', { name: 'Health' }).click();
      for (const [date, value] of [
        ['2026-01-07', '80.4'],
        ['2026-01-08', '80.1'],
      ] as const) {
        await page.getByLabel('Date').fill(date);
        await page.getByLabel('Weight').fill(value);
        await page.getByRole('button', { name: 'Save weight' }).click();
      }
      await page.locator('.chart canvas').waitFor();
      for (const screen of ['Today', 'Tasks', 'Health', 'Dashboard', 'Settings']) {
        await page.getByRole('link', { name: screen }).click();
        await page.getByRole('heading', { level: 1, name: screen }).waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, screen).toBeLessThanOrEqual(320);
        const tab = await page.getByRole('link', { name: screen }).boundingBox();
        expect(tab && tab.x >= 0 && tab.x + tab.width <= 320, `${screen} tab`).toBe(true);
      }
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe('appearance', () => {
  it('follows the system until the user picks light or dark, and keeps the choice after a reload', async () => {
    const page = await (await stack.device()).newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await enterSharedAccount(page);
    const background = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
    const LIGHT = '#f6f7f9';
    const DARK = '#0f1115';
    expect(await background()).toBe(LIGHT);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await background()).toBe(DARK);
    await page.reload();
    await page.getByRole('radio', { name: 'Dark', checked: true }).waitFor();
    expect(await background()).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await background()).toBe(LIGHT);
    await page.getByRole('radio', { name: 'As the system' }).check();
    expect(await background()).toBe(DARK);
  }, 60_000);
});
