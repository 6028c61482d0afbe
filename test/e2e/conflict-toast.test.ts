// A pending change that loses to another device's newer edit says so: "Changed on another device".
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, signIn, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

const stack = useStack();

describe('a change that lost to another device', () => {
  it('tells the device whose offline change lost, in each of its tabs, and only that device', async () => {
    const account = newAccount();
    const contextA = await stack.device();
    const a = await contextA.newPage();
    await signUp(a, account);
    await addTask(a, 'Yoga');
    await a.getByRole('link', { name: 'Today', exact: true }).click();
    await waitForStatus(a, /^Synced/);
    const contextB = await stack.device();
    const b = await contextB.newPage();
    await signIn(b, account);
    await taskItem(b, 'Yoga').waitFor();
    // A second tab on A: a follower, whose user must be told as well as the leader's.
    const a2 = await contextA.newPage();
    await a2.goto('/');
    await taskItem(a2, 'Yoga').waitFor();
    expect(await a2.locator('.shell').getAttribute('data-sync-role')).toBe('follower');

    await contextA.setOffline(true);
    await taskItem(a, 'Yoga').getByRole('button', { name: 'Complete' }).click();
    await a.waitForTimeout(50);
    await taskItem(b, 'Yoga').getByRole('button', { name: 'Skip' }).click(); // the later edit
    await waitForStatus(b, /^Synced/, 30_000);
    await contextA.setOffline(false);
    await a.getByRole('alert').filter({ hasText: 'Changed on another device' }).waitFor({ timeout: 30_000 });
    await a2.getByRole('alert').filter({ hasText: 'Changed on another device' }).waitFor({ timeout: 15_000 });
    await taskItem(a, 'Yoga').getByText('Skipped').waitFor({ timeout: 15_000 });
    expect(await b.getByRole('alert').filter({ hasText: 'Changed on another device' }).count()).toBe(0);
  }, 150_000);
});
