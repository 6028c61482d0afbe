// `npm run bench -- push`: real-time pokes against 5 s polling, measured in the same run on loopback.
//
//   propagation  a mutation request from device A (Node, the per-mutation HTTP endpoint) until device
//                B's page (Chromium, the real app) shows it: Complete/Undo of one task, alternately;
//                B with its WebSocket (push) and B with WebSockets refused (5 s polling)
//   idle         requests per hour of a device with nothing to do (lib/push-idle.ts)
//   fan-out      one write, 100 connected devices of the user: until the last one has its poke
import type { Page } from 'playwright-core';
import { getDb } from '../functions/lib/mongo.ts';
import { connections } from '../functions/lib/realtime/connections.ts';
import { attachWebSocketApi } from '../infra/local/websocket-api.ts';
import { newAccount, type Stack, signIn, startStack } from '../test/e2e/harness.ts';
import { device, localToday, signUp } from '../test/realtime/stack.ts';
import { percentile } from './lib/load.ts';
import { measureFanOut } from './lib/push-fanout.ts';
import { idleRequestsPerHour } from './lib/push-idle.ts';
import type { BenchResult } from './lib/result.ts';

// BENCH_PUSH_SCALE=0.1 runs a tenth of the mutations (a quick look, not a result).
const SIZE = Number(process.env.BENCH_PUSH_SCALE ?? 1);
const PUSH_MUTATIONS = Math.ceil(200 * SIZE);
const POLL_MUTATIONS = Math.ceil(30 * SIZE);
const POLL_MS = 5_000;
const IDLE = { pushScale: 120, pollScale: 12, pushVirtualMs: 4 * 3_600_000, pollVirtualMs: 24 * 60_000 };
const FAN_OUT_DEVICES = 100;
const FAN_OUT_ROUNDS = 30;

type Writer = ReturnType<typeof device>;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Records, in the page, the wall-clock time of every change of the task's completed state. A string:
 * tsx's transform of a function would reference helpers that do not exist in the page.
 */
const FLIP_OBSERVER = `(taskId) => {
  const state = () =>
    document.querySelector('li[aria-labelledby="task-' + taskId + '"]')?.classList.contains('task-completed') ?? false;
  let last = state();
  window.__flips = [];
  new MutationObserver(() => {
    const now = state();
    if (now === last) return;
    last = now;
    window.__flips.push(performance.timeOrigin + performance.now());
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
}`;

/** Records when each poke reaches the page (before the app reacts to it), to split the latency. */
const POKE_RECORDER = `(() => {
  window.__pokes = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"poke"')) window.__pokes.push(performance.timeOrigin + performance.now());
      });
    }
  };
})()`;

interface Samples {
  total: number[];
  /** Mutation request sent → poke received by the page (push only). */
  toPoke: number[];
}

async function propagation(
  page: Page,
  a: Writer,
  taskId: string,
  count: number,
  gapMs: () => number,
): Promise<Samples> {
  await page.locator(`li[aria-labelledby="task-${taskId}"]`).waitFor({ timeout: 30_000 });
  await page.evaluate(`(${FLIP_OBSERVER})(${JSON.stringify(taskId)})`);
  const classes = await page.locator(`li[aria-labelledby="task-${taskId}"]`).getAttribute('class');
  let completed = classes?.split(' ').includes('task-completed') ?? false;
  const samples: Samples = { total: [], toPoke: [] };
  for (let i = 1; i <= count; i++) {
    const pokesBefore = Number(await page.evaluate('window.__pokes?.length ?? 0'));
    const sent = wallNow();
    await a.mutate('POST', `/api/tasks/${taskId}/${completed ? 'uncomplete' : 'complete'}`, {
      date: localToday(),
    });
    completed = !completed;
    // A predicate function, not a string: the app's CSP refuses string evaluation.
    await page.waitForFunction((n) => (window as unknown as { __flips: number[] }).__flips.length >= n, i, {
      timeout: 30_000,
    });
    const shown = Number(await page.evaluate(`window.__flips[${i - 1}]`));
    samples.total.push(shown - sent);
    const poked = Number(await page.evaluate(`window.__pokes?.[${pokesBefore}] ?? NaN`));
    if (Number.isFinite(poked)) samples.toPoke.push(poked - sent);
    if (process.env.BENCH_PUSH_TRACE) console.error(`[push] sample ${i}: ${Math.round(shown - sent)} ms`);
    if (i % 20 === 0) console.error(`[push] ${i}/${count} mutations, last ${Math.round(shown - sent)} ms`);
    await sleep(gapMs());
  }
  samples.total.sort((x, y) => x - y);
  samples.toPoke.sort((x, y) => x - y);
  return samples;
}

async function openB(stack: Stack, account: { email: string; password: string }, refuseSockets: boolean) {
  const context = await stack.device();
  if (refuseSockets)
    await context.routeWebSocket(/\/ws\?/, (route) => void route.close().catch(() => undefined));
  const page = await context.newPage();
  await page.addInitScript(POKE_RECORDER);
  await signIn(page, account);
  return page;
}

const ms = (n: number) => Math.round(n * 10) / 10;

function goldenGaps(periodMs: number): () => number {
  let x = Math.random();
  return () => {
    x = (x + 0.618_033_988_75) % 1;
    return x * periodMs;
  };
}

export async function run(): Promise<BenchResult> {
  const stack = await startStack();
  // The idle devices' WebSocket API runs on the compressed clock; attached first so that the real one
  // sets the management endpoint `broadcast` uses.
  const idleApi = attachWebSocketApi(stack.gateway, {
    path: '/ws-idle',
    idleTimeoutMs: 600_000 / IDLE.pushScale,
    maxAgeMs: 7_200_000 / IDLE.pushScale,
  });
  const ws = attachWebSocketApi(stack.gateway);
  try {
    const account = newAccount();
    const user = await signUp(stack.url, account);
    const a = device(stack.url, user.cookie);
    const task = await a.createTask('Bench');

    const pushPage = await openB(stack, account, false);
    const db = await getDb();
    while ((await connections(db).countDocuments({ userId: user.userId })) === 0) await sleep(50);
    const pushed = await propagation(pushPage, a, task.id, PUSH_MUTATIONS, () => 20 + Math.random() * 30);
    await pushPage.context().close();

    const pollPage = await openB(stack, account, true);
    const [idlePushUser, idlePollUser] = [await signUp(stack.url), await signUp(stack.url)];
    const [polled, idlePush, idlePoll] = await Promise.all([
      // Gaps spread evenly over one poll interval (golden-ratio sequence), so the mutations land at
      // every phase of the poll timer instead of locking onto it or clustering by chance.
      propagation(pollPage, a, task.id, POLL_MUTATIONS, goldenGaps(POLL_MS)),
      idleRequestsPerHour({
        baseUrl: stack.url,
        cookie: idlePushUser.cookie,
        webSocketUrl: idleApi.url,
        scale: IDLE.pushScale,
        warmupMs: 10 * 60_000,
        virtualMs: IDLE.pushVirtualMs,
      }),
      idleRequestsPerHour({
        baseUrl: stack.url,
        cookie: idlePollUser.cookie,
        scale: IDLE.pollScale,
        warmupMs: 60_000,
        virtualMs: IDLE.pollVirtualMs,
      }),
    ]);
    await pollPage.context().close();

    const fan = await measureFanOut(stack.url, ws.url, FAN_OUT_DEVICES, FAN_OUT_ROUNDS);
    return {
      name: 'push',
      metrics: {
        propagation_push_p50: { value: ms(percentile(pushed.total, 50)), unit: 'ms', target: '≤ 50' },
        propagation_push_p99: { value: ms(percentile(pushed.total, 99)), unit: 'ms', target: '≤ 200' },
        propagation_push_samples: { value: pushed.total.length, unit: 'mutations' },
        push_request_to_poke_p50: { value: ms(percentile(pushed.toPoke, 50)), unit: 'ms' },
        push_request_to_poke_p99: { value: ms(percentile(pushed.toPoke, 99)), unit: 'ms' },
        propagation_polling_p50: {
          value: ms(percentile(polled.total, 50)),
          unit: 'ms',
          target: '(5 s polling)',
        },
        propagation_polling_p99: {
          value: ms(percentile(polled.total, 99)),
          unit: 'ms',
          target: '(5 s polling)',
        },
        propagation_polling_samples: { value: polled.total.length, unit: 'mutations' },
        idle_requests_per_hour_push: { value: ms(idlePush), unit: 'requests/h', target: '≤ 10' },
        idle_requests_per_hour_polling: { value: ms(idlePoll), unit: 'requests/h', target: '(≥ 720)' },
        fanout_100_devices_p50: { value: fan.p50Ms, unit: 'ms', target: '≤ 200' },
        fanout_100_devices_p99: { value: fan.p99Ms, unit: 'ms', target: '≤ 200' },
        fanout_100_devices_max: { value: fan.maxMs, unit: 'ms' },
        fanout_load_avg_1m: { value: fan.loadAvg1m, unit: 'runnable processes' },
      },
    };
  } finally {
    await ws.stop();
    await idleApi.stop();
    await stack.stop();
  }
}
