// Account control in Chromium: the password rules on the sign-up form, signing out with unsent
// changes (asked first, with their number), changing the password (other devices signed out) and
// deleting the account.
import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES } from '../../core/password-rules.ts';
import { addTask, newAccount, signIn, signUp, useStack, waitForStatus } from './harness.ts';

const stack = useStack();

describe('the sign-up form', () => {
  it('lists the password rules and refuses a password of spaces with a clear message', async () => {
    const page = await (await stack.device()).newPage();
    await page.goto('/');
    for (const rule of PASSWORD_RULES) await page.getByText(rule).waitFor();
    await page.getByLabel('Email').fill(newAccount().email);
    await page.getByLabel('Password').fill(' '.repeat(12));
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').filter({ hasText: 'The password cannot be only spaces' }).waitFor();
    expect(await page.getByRole('link', { name: 'Today' }).count()).toBe(0);
  }, 60_000);
});

describe('signing out with changes not yet sent', () => {
  it('asks first, saying how many, and only discards them when confirmed', async () => {
    const context = await stack.device();
    const page = await context.newPage();
    await signUp(page, newAccount());
    await waitForStatus(page, /^Synced/);
    await context.setOffline(true);
    await addTask(page, 'Unsent stretch');
    await addTask(page, 'Unsent walk');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out and discard changes?' });
    await dialog.getByText('2 changes have not reached the server yet.').waitFor();
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('link', { name: 'Today' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await dialog.getByRole('button', { name: 'Sign out and discard' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }, 90_000);

  it('signs out without asking when everything has been sent', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await waitForStatus(page, /^Synced/);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }, 60_000);
});

describe('password and account', () => {
  it('changes the password, signing the other device out, then deletes the account', async () => {
    const account = newAccount();
    const page = await (await stack.device()).newPage();
    await signUp(page, account);
    const other = await (await stack.device()).newPage();
    await signIn(other, account);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password').fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your current password is incorrect' }).waitFor();
    await page.getByLabel('Current password').fill(account.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    // The other device's session is gone: its next start asks it to sign in.
    await other.reload();
    await other.getByRole('button', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Password', { exact: true }).fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Delete my account and data' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /do not match/ })
      .waitFor();
  }, 120_000);
});
