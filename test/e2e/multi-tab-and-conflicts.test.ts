// Scenarios 5 and 6 of issue #7: two tabs of one device, and two devices editing the same task's
// state while offline.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addTask,
  countPulls,
  newAccount,
  serverRecords,
  signIn,
  signUp,
  taskItem,
  useStack,
  waitForStatus,
} from './harness.ts';

const stack = useStack();

const roleOf = (page: Page) => page.locator('.shell').getAttribute('data-sync-role');

describe('issue #7 scenarios', () => {
  it('5. two tabs of one device: one leads the network work, both stay current', async () => {
    const account = newAccount();
    const context = await stack.device();
    const tab1 = await context.newPage();
    await signUp(tab1, account);
    await addTask(tab1, 'Read');
    await tab1.getByRole('link', { name: 'Today' }).click();
    const tab2 = await context.newPage();
    await tab2.goto('/#/today');
    await taskItem(tab2, 'Read').waitFor();
    expect([await roleOf(tab1), await roleOf(tab2)].sort()).toEqual(['follower', 'leader']);
    const [leader, follower] = (await roleOf(tab1)) === 'leader' ? [tab1, tab2] : [tab2, tab1];

    const pullsByLeader = countPulls(leader);
    const pullsByFollower = countPulls(follower);
    // A change made in the follower shows in the leader at once and reaches the server through it.
    await taskItem(follower, 'Read').getByRole('button', { name: 'Complete' }).click();
    await taskItem(leader, 'Read').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 5_000 });
    await waitForStatus(follower, /^Synced/);
    // A change from another device reaches both tabs through the leader's polling.
    const other = await (await stack.device()).newPage();
    await signIn(other, account);
    await addTask(other, 'Cook');
    for (const tab of [leader, follower]) await taskItem(tab, 'Cook').waitFor({ timeout: 15_000 });
    expect(pullsByLeader.count).toBeGreaterThan(0);
    expect(pullsByFollower.count).toBe(0);

    // When the leader goes away, the other tab takes over.
    await leader.close();
    await follower.locator('.shell[data-sync-role="leader"]').waitFor({ timeout: 10_000 });
    await other.getByRole('link', { name: 'Today' }).click();
    await taskItem(other, 'Cook').getByRole('button', { name: 'Complete' }).click();
    await taskItem(follower, 'Cook').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 15_000 });
  }, 150_000);

  it('5b. a hung leader tab (still holding the lock) is replaced by a visible one', async () => {
    const account = newAccount();
    const context = await stack.device();
    const tab1 = await context.newPage();
    await signUp(tab1, account);
    await addTask(tab1, 'Sew');
    await tab1.getByRole('link', { name: 'Today' }).click();
    const tab2 = await context.newPage();
    await tab2.goto('/#/today');
    await taskItem(tab2, 'Sew').waitFor();
    const [leader, follower] = (await roleOf(tab1)) === 'leader' ? [tab1, tab2] : [tab2, tab1];
    // Hang the leader's main thread (as a frozen or hibernated tab would be): no timers, no messages.
    const hung = leader.evaluate(() => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        // spin
      }
    });
    await follower.locator('.shell[data-sync-role="leader"]').waitFor({ timeout: 40_000 });
    const other = await (await stack.device()).newPage();
    await signIn(other, account);
    await taskItem(other, 'Sew').getByRole('button', { name: 'Complete' }).click();
    await taskItem(follower, 'Sew').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 15_000 });
    // Thawed, the old leader finds it lost the lock and follows.
    await hung;
    await leader.locator('.shell[data-sync-role="follower"]').waitFor({ timeout: 10_000 });
    await taskItem(leader, 'Sew').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 15_000 });
  }, 150_000);

  it('6. both devices edit the same task offline: after reconnecting both show the later edit', async () => {
    const account = newAccount();
    const contextA = await stack.device();
    const a = await contextA.newPage();
    await signUp(a, account);
    await addTask(a, 'Yoga');
    await a.getByRole('link', { name: 'Today' }).click();
    await waitForStatus(a, /^Synced/);
    const contextB = await stack.device();
    const b = await contextB.newPage();
    await signIn(b, account);
    await taskItem(b, 'Yoga').waitFor();

    await contextA.setOffline(true);
    await contextB.setOffline(true);
    await taskItem(a, 'Yoga').getByRole('button', { name: 'Complete' }).click();
    await a.waitForTimeout(50);
    await taskItem(b, 'Yoga').getByRole('button', { name: 'Skip' }).click(); // the later edit
    // The later edit reconnects first, the earlier one last: the later one must still win.
    await contextB.setOffline(false);
    await waitForStatus(b, /^Synced/, 30_000);
    await contextA.setOffline(false);
    await waitForStatus(a, /^Synced/, 30_000);
    for (const page of [a, b]) {
      await taskItem(page, 'Yoga').getByText('Skipped').waitFor({ timeout: 15_000 });
    }
    const records = await serverRecords(a);
    expect(records.completions?.map((c) => c.status)).toEqual(['skipped']);
  }, 150_000);
});
