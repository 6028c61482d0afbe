// `npm run bench -- lighthouse`: Lighthouse 12.2.3 (its default, mobile emulation and simulated
// throttling) on Today of a signed-in user with months of history, against the local stack.
//
// Lighthouse needs a page state: Debian's Chromium is started here with a debugging port, a
// playwright-core connection signs the seeded user in on it (cookie and IndexedDB replica, as a
// returning user has them) and lets go, then Lighthouse drives the same browser through the port.
// Lighthouse's own storage reset clears the service worker, Cache Storage and the HTTP cache, never
// cookies or IndexedDB, so it measures a cold load of the app that still knows who is signed in.
//
// One run's score moves by a few points with what else the machine does: it runs Lighthouse
// `--runs=N` times (default 3) on the same primed browser, reports the median of each figure and every
// run's Performance score, and prints each run's long tasks (what Total Blocking Time is made of).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse, { type Flags, type Result } from 'lighthouse';
import { chromium } from 'playwright-core';
import { utcDateOf } from '../core/dates.ts';
import { CHROMIUM_ARGS, newAccount, startStack, waitForStatus } from '../test/e2e/harness.ts';
import { type Account, habitHistory, pushMutations, signUpAccount } from '../web/seed-account.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { waitForSavedBase } from './lib/saved-base.ts';

const CATEGORIES = [
  { id: 'performance', target: '≥ 95' },
  { id: 'accessibility', target: '≥ 100' },
  { id: 'best-practices', target: '≥ 95' },
  { id: 'seo', target: undefined },
] as const;

const METRICS = [
  { audit: 'first-contentful-paint', key: 'fcp', unit: 'ms' },
  { audit: 'largest-contentful-paint', key: 'lcp', unit: 'ms' },
  { audit: 'total-blocking-time', key: 'tbt', unit: 'ms' },
  { audit: 'cumulative-layout-shift', key: 'cls', unit: 'score' },
  { audit: 'speed-index', key: 'speed_index', unit: 'ms' },
] as const;

// Generous: the figures are only meaningful on a quiet machine, but the run must finish on a busy one.
const FLAGS: Flags = {
  output: 'json',
  logLevel: 'error',
  onlyCategories: CATEGORIES.map((c) => c.id),
  maxWaitForFcp: 60_000,
  maxWaitForLoad: 120_000,
};
const DEVTOOLS_PORT_WAIT_MS = 30_000;

interface DebuggableChromium {
  port: number;
  stop(): Promise<void>;
}

/** Debian's Chromium with the test flags and a debugging port on a free port of 127.0.0.1. */
async function launchDebuggableChromium(): Promise<DebuggableChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'lighthouse-profile-'));
  const child: ChildProcess = spawn(
    '/usr/bin/chromium',
    [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(profile, { recursive: true, force: true });
  };
  try {
    return { port: await devtoolsPort(profile, child), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Chromium writes the port it bound into DevToolsActivePort in its profile. */
async function devtoolsPort(profile: string, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + DEVTOOLS_PORT_WAIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`chromium exited with code ${child.exitCode} before listening`);
    const text = await readFile(join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (Number.isInteger(port) && port > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`chromium opened no debugging port within ${DEVTOOLS_PORT_WAIT_MS / 1000} s`);
}

/** Signs the account in on the browser behind `port` and waits until Today shows its tasks, synced. */
async function primeSignedIn(port: number, url: string, account: Account): Promise<void> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('chromium has no default browser context');
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Today' }).waitFor({ timeout: 60_000 });
    await waitForStatus(page, /^Synced/, 120_000);
    await page.locator('.task-list li').first().waitFor();
    // A returning user's start: the app has saved its base for the next one.
    await waitForSavedBase(page);
    await page.close();
  } finally {
    // Disconnects; the browser and its default context (cookie, IndexedDB) stay for Lighthouse.
    await browser.close();
  }
}

function scoreOf(lhr: Result, id: string): number {
  const score = lhr.categories[id]?.score;
  if (typeof score !== 'number') throw new Error(`Lighthouse reported no ${id} score`);
  return Math.round(score * 100);
}

/** What kept a category below 100, for whoever reads the run's output. */
function shortfalls(lhr: Result): string[] {
  const lines: string[] = [];
  for (const { id } of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
      lines.push(
        `${id} · ${audit.id} (${audit.score}): ${audit.title}${audit.displayValue ? ` — ${audit.displayValue}` : ''}`,
      );
    }
  }
  return lines;
}

/** The long tasks Lighthouse saw (its `long-tasks` audit): where, when and how long, unthrottled. */
function longTasks(lhr: Result): string[] {
  const details = lhr.audits['long-tasks']?.details;
  const items: readonly unknown[] = details && 'items' in details ? details.items : [];
  return items.map((item) => {
    const { url, startTime, duration } = item as { url?: string; startTime?: number; duration?: number };
    const where = url?.split('/').pop() || 'unattributable';
    return `${where} at ${Math.round(startTime ?? 0)} ms, ${Math.round(duration ?? 0)} ms`;
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function figuresOf(lhr: Result): Record<string, Metric> {
  const metrics: Record<string, Metric> = {};
  for (const { id, target } of CATEGORIES) {
    metrics[`${id.replace('-', '_')}_score`] = {
      value: scoreOf(lhr, id),
      unit: 'score',
      ...(target ? { target } : {}),
    };
  }
  for (const { audit, key, unit } of METRICS) {
    const value = lhr.audits[audit]?.numericValue;
    if (typeof value !== 'number') throw new Error(`Lighthouse reported no ${audit}`);
    metrics[key] = { value: unit === 'ms' ? Math.round(value) : Number(value.toFixed(3)), unit };
  }
  return metrics;
}

/** The median of every figure over the runs, each run's Performance score, and how many runs. */
export function resultOf(runs: readonly Result[]): BenchResult {
  if (runs.length === 0) throw new Error('no Lighthouse run to report');
  const perRun = runs.map(figuresOf);
  const metrics: Record<string, Metric> = {};
  for (const [key, first] of Object.entries(perRun[0] ?? {})) {
    const value = median(perRun.map((figures) => figures[key]?.value ?? Number.NaN));
    metrics[key] = { ...first, value: first.unit === 'ms' ? Math.round(value) : value };
  }
  perRun.forEach((figures, i) => {
    metrics[`performance_score_run_${i + 1}`] = {
      value: figures.performance_score?.value ?? 0,
      unit: 'score',
    };
  });
  metrics.runs = { value: runs.length, unit: 'count' };
  return { name: 'lighthouse', metrics };
}

const DEFAULT_RUNS = 3;

/** `--runs=N` (1 to 20) from the command line, else three. */
export function runsFrom(argv: readonly string[]): number {
  const flag = argv.find((arg) => arg.startsWith('--runs='));
  if (!flag) return DEFAULT_RUNS;
  const runs = Number(flag.slice('--runs='.length));
  if (!Number.isInteger(runs) || runs < 1 || runs > 20)
    throw new Error(`--runs must be a whole number from 1 to 20, got "${flag.slice('--runs='.length)}"`);
  return runs;
}

/** One Lighthouse run on the primed browser; its report is kept in the temporary directory. */
async function lighthouseRun(url: string, port: number, run: number): Promise<Result> {
  const runnerResult = await lighthouse(url, { ...FLAGS, hostname: '127.0.0.1', port });
  const lhr = runnerResult?.lhr;
  if (!lhr) throw new Error('Lighthouse returned no result');
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  for (const warning of lhr.runWarnings) console.warn(`[lighthouse] warning: ${warning}`);
  const report = join(tmpdir(), `lighthouse-${Date.now()}.json`);
  await writeFile(report, JSON.stringify(lhr));
  const figures = figuresOf(lhr);
  console.log(
    `[lighthouse] run ${run}: Performance ${figures.performance_score?.value}, TBT ${figures.tbt?.value} ms, ` +
      `LCP ${figures.lcp?.value} ms (Lighthouse ${lhr.lighthouseVersion}; full report: ${report})`,
  );
  for (const task of longTasks(lhr)) console.log(`[lighthouse]   long task: ${task}`);
  for (const line of shortfalls(lhr)) console.log(`[lighthouse]   ${line}`);
  return lhr;
}

export async function run(): Promise<BenchResult> {
  const runs = runsFrom(process.argv);
  // With the WebSocket API, as `npm start` serves it: the app's pokes connect instead of failing.
  const stack = await startStack({ websocket: true });
  let chrome: DebuggableChromium | undefined;
  try {
    const account = newAccount();
    const cookie = await signUpAccount(stack.url, account);
    await pushMutations(stack.url, cookie, habitHistory(utcDateOf(Date.now())).mutations);
    chrome = await launchDebuggableChromium();
    await primeSignedIn(chrome.port, stack.url, account);
    const results: Result[] = [];
    for (let run = 1; run <= runs; run += 1)
      results.push(await lighthouseRun(`${stack.url}/`, chrome.port, run));
    return resultOf(results);
  } finally {
    await chrome?.stop();
    await stack.stop();
  }
}
