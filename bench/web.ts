// `npm run bench -- web`: what the web app costs its users.
//   - JavaScript shipped, gzipped: the first screen's (the entry and its static imports), and in all
//     (every .js file of a production build, lazy chunks and sw.js included)
//   - click → DOM updated, median, in Chromium (Complete/Undo on Today with a year of history)
//   - first render from the IndexedDB cache after DOMContentLoaded, with a year of data: from the base
//     saved as one value (what a returning user gets) and, in the same run, from one stored value per
//     record (the path before the saved base, and still the one after a change the base missed)
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { addDays, utcDateOf } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { newAccount, signIn, startStack, waitForStatus } from '../test/e2e/harness.ts';
import { type Account, pushMutations, type SeedMutation, signUpAccount } from '../web/seed-account.ts';
import type { BenchResult } from './lib/result.ts';
import { DROP_SAVED_BASE, waitForSavedBase } from './lib/saved-base.ts';

const DAYS = 365;
const TASKS = 5;
const CLICKS = 40;
const FIRST_RENDERS = 5;

/** The .js files the page's module script loads before anything else: it and its static imports. */
async function firstScreenFiles(dir: string, html: string): Promise<Set<string>> {
  const queue = [...html.matchAll(/<script type="module" src="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(join(dir, file), 'utf8');
    // Static imports only (`import … from "./x.js"` / `import "./x.js"`), not `import("./x.js")`.
    for (const m of code.matchAll(/import(?:[^(;"']*?from)?\s*["']([^"']+\.js)["']/g)) {
      queue.push(
        join(dirname(file), m[1] ?? '')
          .split('\\')
          .join('/'),
      );
    }
  }
  return seen;
}

async function jsGzipBytes(dir: string): Promise<{ total: number; initial: number }> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js'));
  const first = await firstScreenFiles(dir, await readFile(join(dir, 'index.html'), 'utf8'));
  let total = 0;
  let initial = 0;
  for (const file of files) {
    const size = gzipSync(await readFile(join(dir, file)), { level: 9 }).length;
    total += size;
    if (first.has(file.split('\\').join('/'))) initial += size;
  }
  return { total, initial };
}

/** A year of history: five daily tasks completed (or skipped) most days, and a weight every day. */
function yearOfMutations(today: string): SeedMutation[] {
  const start = addDays(today, -DAYS);
  const ids = Array.from({ length: TASKS }, () => newId());
  const out: SeedMutation[] = ids.map((id, i) => ({
    name: 'createTask',
    args: {
      id,
      title: `Habit ${i + 1}`,
      points: i + 1,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      createdOn: start,
      order: i,
    },
  }));
  for (let d = 0; d < DAYS; d += 1) {
    const date = addDays(start, d);
    ids.forEach((taskId, i) => {
      if ((d + i) % 7 === 0) return;
      out.push({ name: (d + i) % 11 === 0 ? 'skipTask' : 'completeTask', args: { taskId, date } });
    });
    out.push({ name: 'logWeight', args: { date, value: 80 - d * 0.02 + Math.sin(d) * 0.4, unit: 'kg' } });
  }
  return out;
}

async function seed(url: string, account: Account): Promise<number> {
  const all = yearOfMutations(utcDateOf(Date.now()));
  await pushMutations(url, await signUpAccount(url, account), all);
  return all.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export async function run(): Promise<BenchResult> {
  const stack = await startStack();
  try {
    const js = await jsGzipBytes(stack.webRoot);
    const account = newAccount();
    const records = await seed(stack.url, account);
    const context = await stack.device();
    const page = await context.newPage();
    await page.addInitScript(FIRST_RENDER_PROBE);
    await signIn(page, account);
    await waitForStatus(page, /^Synced/, 120_000);
    await page.locator('.task-list li').first().waitFor();
    const clicks = await page.evaluate(MEASURE_CLICKS, CLICKS);
    const firstRenders = { savedBase: [] as number[], perRecord: [] as number[] };
    for (let i = 0; i < FIRST_RENDERS; i += 1) {
      await page.evaluate(DROP_SAVED_BASE);
      const perRecord = await firstRender(page);
      if (perRecord.readRecords) firstRenders.perRecord.push(perRecord.ms);
      await waitForSavedBase(page);
      const saved = await firstRender(page);
      if (!saved.readRecords) firstRenders.savedBase.push(saved.ms);
    }
    const [fromSaved, fromRecords] = [median(firstRenders.savedBase), median(firstRenders.perRecord)];
    return {
      name: 'web',
      metrics: {
        // The first screen (entry and its static imports) is held to 60 KB; other routes load on demand.
        js_gzip_first_screen: { value: round(js.initial / 1024), unit: 'KB', target: '≤ 60' },
        js_gzip_total: { value: round(js.total / 1024), unit: 'KB' },
        click_to_dom_median: { value: round(median(clicks), 2), unit: 'ms', target: '≤ 16' },
        click_to_dom_max: { value: round(Math.max(...clicks), 2), unit: 'ms' },
        first_render_from_cache_median: { value: round(fromSaved), unit: 'ms', target: '≤ 200' },
        first_render_from_cache_per_record_median: { value: round(fromRecords), unit: 'ms' },
        first_render_saved_base_speedup: { value: round(fromRecords / fromSaved, 2), unit: '×' },
        first_render_samples: {
          value: Math.min(firstRenders.savedBase.length, firstRenders.perRecord.length),
          unit: 'count',
        },
        seeded_mutations: { value: records, unit: 'count' },
      },
    };
  } finally {
    await stack.stop();
  }
}

/** Reloads and reports the time to the first task, and whether the records were read one by one. */
async function firstRender(page: Page): Promise<{ ms: number; readRecords: boolean }> {
  await page.reload();
  for (;;) {
    const probe = (await page.evaluate(
      '({ ms: window.__firstRenderMs, readRecords: window.__readRecords === true })',
    )) as { ms?: number; readRecords: boolean };
    if (probe.ms !== undefined) return { ms: probe.ms, readRecords: probe.readRecords };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Runs in the page before the app: the time from DOMContentLoaded to the first task on screen, and
// whether the replica's records were read one value each before it.
const FIRST_RENDER_PROBE = `(() => {
  const getAll = IDBObjectStore.prototype.getAll;
  IDBObjectStore.prototype.getAll = function (...args) {
    if (this.name === 'records' && window.__firstRenderMs === undefined) window.__readRecords = true;
    return getAll.apply(this, args);
  };
  let dcl;
  document.addEventListener('DOMContentLoaded', () => { dcl = performance.now(); });
  const observer = new MutationObserver(() => {
    if (dcl !== undefined && document.querySelector('.task-list li')) {
      window.__firstRenderMs = performance.now() - dcl;
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

// Runs in the page: click Complete / Undo on the first task, timing each click until the DOM shows it.
async function MEASURE_CLICKS(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const item = document.querySelector('.task-list li');
    const button = item?.querySelector<HTMLButtonElement>('.task-actions button');
    if (!item || !button) throw new Error('no task on screen');
    const before = button.textContent;
    const started = performance.now();
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (item.querySelector('.task-actions button')?.textContent !== before) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(item, { childList: true, subtree: true, characterData: true });
    });
    button.click();
    await changed;
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return times;
}
