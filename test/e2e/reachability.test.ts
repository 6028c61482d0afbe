// The browser is online but the API does not answer: the status says so (not "Offline"), a change made
// meanwhile waits, and the app notices by itself that the server is back (how soon, on fake timers:
// test/web/reachability.test.ts).
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, serverRecords, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

const stack = useStack();

describe('a server that does not answer', () => {
  it('says "Can\'t reach the server", keeps the change, and syncs it once the server answers again', async () => {
    const context = await stack.device();
    const page = await context.newPage();
    await signUp(page, newAccount());
    await addTask(page, 'Floss');
    await page.getByRole('link', { name: 'Today', exact: true }).click();
    await waitForStatus(page, /^Synced/);

    // Every API request fails as a dead server's would; the browser itself stays online.
    await context.route('**/api/**', (route) => route.abort('connectionrefused'));
    await taskItem(page, 'Floss').getByRole('button', { name: 'Complete' }).click();
    const down = await waitForStatus(page, /can't reach the server/i, 30_000);
    expect(down).toBe("1 pending · can't reach the server");
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);

    await context.unroute('**/api/**');
    await waitForStatus(page, /^Synced/, 15_000);
    const marks = (await serverRecords(page)).completions ?? [];
    expect(marks.map((m) => m.status)).toEqual(['completed']);
  }, 120_000);
});
