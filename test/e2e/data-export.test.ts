// Settings › Your data in Chromium: export (JSON and zipped CSV, through real downloads), import into
// a new account through the normal mutation path, re-import changing nothing, and a bad file refused.
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addTask, newAccount, serverRecords, signUp, taskItem, useStack, waitForStatus } from './harness.ts';

const stack = useStack();

async function download(page: Page, button: string): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: await readFile(path) };
}

/** The export's records without stamps: what must survive a round trip. */
function content(json: string): unknown {
  const file = JSON.parse(json) as Record<string, unknown> & { tasks: object[]; completions: object[] };
  const strip = (records: object[]) =>
    records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'hlc' && k !== 'clocks')));
  return { tasks: strip(file.tasks), completions: strip(file.completions) };
}

async function importFile(page: Page, file: { name: string; body: Buffer }): Promise<void> {
  await page
    .getByLabel('Import data')
    .setInputFiles({ name: file.name, mimeType: 'application/json', buffer: file.body });
}

describe('Settings › Your data', () => {
  it('exports JSON and CSV, imports into a new account, and a second import changes nothing', async () => {
    const source = await (await stack.device()).newPage();
    await signUp(source, newAccount());
    await addTask(source, 'Stretch, "gently"');
    await addTask(source, 'Walk');
    await source.getByRole('link', { name: 'Today' }).click();
    await taskItem(source, 'Walk').getByRole('button', { name: 'Complete' }).click();
    await waitForStatus(source, /^Synced/);
    await source.getByRole('link', { name: 'Settings' }).click();

    const json = await download(source, 'Export data');
    expect(json.name).toMatch(/^routine-sync-export-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(json.body.toString('utf8'));
    expect(exported).toMatchObject({ format: 'routine-sync-export', version: 1 });
    expect(exported.tasks).toHaveLength(2);
    expect(exported.completions).toHaveLength(1);

    const zip = await download(source, 'Export as CSV');
    expect(zip.name).toMatch(/-csv\.zip$/);
    const tables = unzipSync(new Uint8Array(zip.body));
    expect(Object.keys(tables).sort()).toEqual([
      'completions.csv',
      'settings.csv',
      'tasks.csv',
      'weights.csv',
    ]);
    expect(strFromU8(tables['tasks.csv'] as Uint8Array)).toContain('"Stretch, ""gently"""');

    const target = await (await stack.device()).newPage();
    await signUp(target, newAccount());
    await target.getByRole('link', { name: 'Settings' }).click();
    await importFile(target, json);
    await target
      .getByRole('status')
      .filter({ hasText: /^Imported 3 changes/ })
      .waitFor();
    const titlesOnServer = async () => (await serverRecords(target)).tasks?.map((t) => t.title).sort();
    await expect.poll(titlesOnServer, { timeout: 15_000 }).toEqual(['Stretch, "gently"', 'Walk']);

    const again = await download(target, 'Export data');
    expect(content(again.body.toString('utf8'))).toEqual(content(json.body.toString('utf8')));

    await importFile(target, json);
    await target
      .getByRole('status')
      .filter({ hasText: /^Nothing to import/ })
      .waitFor();
  }, 120_000);

  it('refuses a file that is not an export, and says why', async () => {
    const page = await (await stack.device()).newPage();
    await signUp(page, newAccount());
    await page.getByRole('link', { name: 'Settings' }).click();
    await importFile(page, { name: 'notes.json', body: Buffer.from('title,date\nRun,2026-01-01\n') });
    await page.getByRole('alert').filter({ hasText: 'Nothing imported: The file is not JSON' }).waitFor();
    await importFile(page, {
      name: 'other.json',
      body: Buffer.from('{"format":"routine-sync-export","version":9}'),
    });
    await page.getByRole('alert').filter({ hasText: 'Nothing imported: Only version 1' }).waitFor();
    expect((await serverRecords(page)).tasks ?? []).toEqual([]);
  }, 90_000);
});
