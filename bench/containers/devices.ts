// Devices for the container benchmark: each one does what the web app's sync loop does on a
// connection (check-update, push one change, pull), and, like the app, sends a request again after a
// short wait when it is answered 5xx: 503 from the HTTP API once a function is at its reserved
// concurrency, 500 when the authorizer is (API Gateway answers an authorizer failure with 500).
import { addDays, utcDateOf } from '../../core/dates.ts';
import { formatHlc } from '../../core/hlc.ts';
import { newDeviceId } from '../../core/ids.ts';
import { type Client, createClient, type Reply } from '../sync/http.ts';

export const DEVICES_PER_ACCOUNT = 10;
const PASSWORD = 'correct horse battery staple 42';
/** How long a device keeps sending one request again before the benchmark gives up. */
const PATIENCE_MS = 180_000;

export interface DeviceRun {
  /** Requests answered 503 (throttled) and sent again. */
  throttled: number;
  /** Requests answered another 5xx, or dropped, and sent again. */
  failed: number;
}

/** Session cookies of `count` fresh accounts (sign-ups allow 10 an hour from one address). */
export async function signUpAccounts(url: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = `containers-${Date.now()}-${i}@example.com`;
    const res = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    await res.arrayBuffer();
    const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0];
    if (res.status !== 201 || !cookie) throw new Error(`signup answered ${res.status}`);
    cookies.push(cookie);
  }
  return cookies;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function sendUntilServed(
  client: Client,
  run: DeviceRun,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const deadline = Date.now() + PATIENCE_MS;
  for (let sent = 1; Date.now() < deadline; sent += 1) {
    // A dropped connection is sent again too, as the app's outbox does.
    const reply = await client.send(method, path, body === undefined ? {} : { body }).catch(() => undefined);
    if (reply?.status === 200) return reply;
    if (reply && reply.status < 500) throw new Error(`${method} ${path} answered ${reply.status}`);
    if (reply?.status === 503) run.throttled += 1;
    else run.failed += 1;
    // Backing off with jitter, as the app's sync loop does, so that a throttled crowd thins out.
    await pause(Math.random() * Math.min(2_000, 50 * 2 ** Math.min(sent, 6)));
  }
  throw new Error(`${method} ${path} still answered 5xx after ${PATIENCE_MS / 1000} s`);
}

/** One sync round of one device: check-update, push a weight of its own day, pull. */
async function syncRound(client: Client, index: number, run: DeviceRun): Promise<void> {
  const deviceId = newDeviceId();
  await sendUntilServed(client, run, 'GET', `/api/sync/check-update?deviceId=${deviceId}`);
  const mutation = {
    id: 1,
    name: 'logWeight',
    args: { date: addDays(utcDateOf(Date.now()), -index), value: 70, unit: 'kg' },
    hlc: formatHlc({ wallMs: Date.now(), counter: 1, deviceId }),
  };
  await sendUntilServed(client, run, 'POST', '/api/sync/push', { deviceId, mutations: [mutation] });
  await sendUntilServed(client, run, 'GET', '/api/sync/pull?since=0');
}

/** `count` devices at once, DEVICES_PER_ACCOUNT to an account, each one sync round. */
export async function runDevices(url: string, cookies: readonly string[], count: number): Promise<DeviceRun> {
  const run: DeviceRun = { throttled: 0, failed: 0 };
  const clients = Array.from({ length: count }, (_, i) => {
    const cookie = cookies[Math.floor(i / DEVICES_PER_ACCOUNT)];
    if (!cookie) throw new Error(`${count} devices need ${Math.ceil(count / DEVICES_PER_ACCOUNT)} accounts`);
    return createClient(url, { cookie }, 1);
  });
  try {
    await Promise.all(clients.map((client, i) => syncRound(client, i % DEVICES_PER_ACCOUNT, run)));
  } finally {
    for (const client of clients) client.close();
  }
  return run;
}
