// One device of the load benchmark, at the protocol level, doing what the app's sync loop does:
//
//   offered mutation ─► its outbox; one push in flight at a time, the next batch takes what waited
//   acknowledged push ─► its answer's records (`stream`) continuing where it stands ─► applied;
//                        else pull from its version (as the app)
//   WebSocket poke ──── records continuing exactly where it stands ─► applied, no request
//                  └─── anything else (a gap, versions committed out of order, no records) ─► pull
//   offered read ─────► a pull from its version, or check-update
//
// It keeps the records it has (canonical JSON by `collection/id`), so the benchmark can check at the
// end that both devices of a user equal the server, and every `applied` answer per mutation id.
import WebSocket from 'ws';
import { addDays } from '../../core/dates.ts';
import { formatHlc } from '../../core/hlc.ts';
import { newDeviceId } from '../../core/ids.ts';
import { canonical } from '../../test/chaos/lib/invariants.ts';
import { backoffDelay } from '../../web/src/sync/backoff.ts';
import type { Client, Reply } from '../sync/http.ts';
import type { RequestKind, StepSink } from './step-sink.ts';

/** Dates go back from today, one per mutation of the user; the schema accepts 2000-01-01 on. */
const DAYS_BACK = 9_000;
const REQUEST_TIMEOUT_MS = 15_000;
const BEHIND_TRIES = 10;
const HEARTBEAT_MS = 8 * 60_000;

export interface LoadUser {
  url: string;
  cookie: string;
  client: Client;
  today: string;
  /** Mutations offered to the user's devices so far: the next weight's day back from today. */
  written: number;
}

export interface Meter {
  sink: StepSink;
}

export interface LoadDevice {
  readonly deviceId: string;
  readonly user: LoadUser;
  readonly state: Map<string, string>;
  /** `applied` answers per mutation id (more than one is a mutation applied twice). */
  readonly applied: Map<number, number>;
  readonly counters: {
    pokes: number;
    streamsApplied: number;
    answersApplied: number;
    pokePulls: number;
    reconnects: number;
  };
  offerMutation(): void;
  offerRead(kind: 'pull' | 'check'): void;
  busy(): boolean;
  version(): number;
  /** The last mutation id this device used. */
  lastId(): number;
  /** Pulls until it stands at `version` (or gives up after a few tries). */
  catchUp(version: number): Promise<void>;
  close(): void;
}

interface Queued {
  id: number;
  envelope: unknown;
  offeredAt: number;
}

/** One commit's records, in a poke or a push answer. */
interface StreamMessage {
  fromVersion: number;
  toVersion: number;
  changes: Record<string, unknown[]>;
}

interface PokeMessage {
  type: string;
  version?: number;
  stream?: StreamMessage;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function parseMessage(data: string): PokeMessage | undefined {
  try {
    return JSON.parse(data) as PokeMessage;
  } catch {
    return undefined;
  }
}

function timed(send: Promise<Reply>): Promise<Reply | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([send.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

export async function openLoadDevice(user: LoadUser, meter: Meter, seq: number): Promise<LoadDevice> {
  const deviceId = newDeviceId(Date.now() + seq);
  const state = new Map<string, string>();
  const applied = new Map<number, number>();
  const counters = { pokes: 0, streamsApplied: 0, answersApplied: 0, pokePulls: 0, reconnects: 0 };
  const outbox: Queued[] = [];
  let nextId = 1;
  let version = 0;
  let announced = 0;
  let pushing = false;
  let pulling = false;
  let again = false;
  let closed = false;
  let socket: WebSocket | undefined;
  let inFlight = 0;

  const request = async (kind: RequestKind, method: string, path: string, body?: unknown) => {
    inFlight += 1;
    const reply = await timed(user.client.send(method, path, body === undefined ? {} : { body }));
    inFlight -= 1;
    const ok = reply?.status === 200;
    meter.sink.requestMs[kind].push(reply?.ms ?? REQUEST_TIMEOUT_MS);
    if (!ok) meter.sink.errors[kind] += 1;
    return ok ? reply : undefined;
  };

  const merge = (changes: Record<string, unknown[]>) => {
    for (const [collection, records] of Object.entries(changes)) {
      for (const record of records) {
        const r = record as { id: string; deleted?: boolean };
        if (r.deleted) state.delete(`${collection}/${r.id}`);
        else state.set(`${collection}/${r.id}`, canonical(r));
      }
    }
  };

  async function pull(kind: RequestKind): Promise<void> {
    if (pulling) {
      again = true;
      return;
    }
    pulling = true;
    try {
      for (let tries = 0; ; tries += 1) {
        again = false;
        const reply = await request(kind, 'GET', `/api/sync/pull?since=${version}`);
        if (!reply) return;
        const answer = reply.json as { version: number; changes: Record<string, unknown[]> };
        merge(answer.changes);
        version = Math.max(version, answer.version);
        if (!again && (announced <= version || tries >= BEHIND_TRIES)) return;
        // A version announced but still committing: the pull answers below it for a moment.
        if (!again) await sleep(100);
      }
    } finally {
      pulling = false;
    }
  }

  const announce = (v: number, kind: RequestKind) => {
    announced = Math.max(announced, v);
    if (v > version) {
      if (kind === 'poke-pull') counters.pokePulls += 1;
      void pull(kind);
    }
  };

  function onPoke(message: PokeMessage): void {
    if (message.type === 'heartbeat' && message.version !== undefined) announce(message.version, 'poke-pull');
    if (message.type !== 'poke' || message.version === undefined) return;
    counters.pokes += 1;
    const stream = message.stream;
    if (stream && stream.fromVersion === version && !pulling) {
      merge(stream.changes);
      version = stream.toVersion;
      counters.streamsApplied += 1;
      announced = Math.max(announced, message.version);
      return;
    }
    announce(message.version, 'poke-pull');
  }

  async function connect(): Promise<void> {
    const ticket = await request('read', 'POST', '/api/sync/ws-ticket', { deviceId });
    if (!ticket) throw new Error(`${deviceId}: no WebSocket ticket`);
    const { ticket: value } = ticket.json as { ticket: string };
    const ws = new WebSocket(`${user.url.replace(/^http/, 'ws')}/ws?ticket=${encodeURIComponent(value)}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    socket = ws;
    const beat = setInterval(() => ws.send(JSON.stringify({ action: 'heartbeat' })), HEARTBEAT_MS);
    ws.on('error', () => undefined); // 'close' follows
    ws.on('message', (data) => {
      const message = parseMessage(String(data));
      if (message) onPoke(message);
    });
    ws.on('close', () => {
      clearInterval(beat);
      if (!closed) void reconnect();
    });
  }

  /** As the app: connect again, then pull whatever was missed while the socket was down. */
  async function reconnect(): Promise<void> {
    counters.reconnects += 1;
    for (let attempt = 1; attempt <= 5 && !closed; attempt += 1) {
      await sleep(1_000 * attempt);
      try {
        await connect();
        await pull('sync-pull');
        return;
      } catch {
        // Tried again after a longer wait; a device left without a socket still converges by pulling.
      }
    }
  }

  async function pushLoop(): Promise<void> {
    pushing = true;
    let failures = 0;
    try {
      while (outbox.length > 0 && !closed) {
        const batch = outbox.slice(0, 100);
        const reply = await request('push', 'POST', '/api/sync/push', {
          deviceId,
          mutations: batch.map((q) => q.envelope),
        });
        if (!reply) {
          // As the app: send again what was not acknowledged, after a full-jitter backoff, so a
          // struggling server is not also flooded with retries.
          await sleep(backoffDelay(failures));
          failures += 1;
          continue;
        }
        failures = 0;
        const answer = reply.json as {
          lastMutationId: number;
          version: number;
          results: Array<{ id: number; status: string }>;
          stream?: StreamMessage;
        };
        for (const r of answer.results) {
          if (r.status === 'applied') applied.set(r.id, (applied.get(r.id) ?? 0) + 1);
          else if (r.status === 'rejected') meter.sink.errors.push += 1;
        }
        const now = performance.now();
        while (outbox[0] && outbox[0].id <= answer.lastMutationId) {
          meter.sink.mutationMs.push(now - (outbox.shift() as Queued).offeredAt);
        }
        const stream = answer.stream;
        if (stream && stream.fromVersion === version && !pulling) {
          merge(stream.changes);
          version = stream.toVersion;
          counters.answersApplied += 1;
        }
        announce(answer.version, 'sync-pull');
      }
    } finally {
      pushing = false;
    }
  }

  await connect();
  await pull('sync-pull');

  return {
    deviceId,
    user,
    state,
    applied,
    counters,
    offerMutation() {
      meter.sink.offeredMutations += 1;
      const id = nextId;
      nextId += 1;
      const day = user.written % DAYS_BACK;
      user.written += 1;
      const envelope = {
        id,
        name: 'logWeight',
        args: { date: addDays(user.today, -day), value: 50 + (id % 500) / 10, unit: 'kg' },
        hlc: formatHlc({ wallMs: Date.now(), counter: id % 1_000_000, deviceId }),
      };
      outbox.push({ id, envelope, offeredAt: performance.now() });
      if (!pushing) void pushLoop();
    },
    offerRead(kind) {
      meter.sink.offeredReads += 1;
      if (kind === 'pull' && !pulling) void pull('read');
      else void request('read', 'GET', `/api/sync/check-update?deviceId=${deviceId}`);
    },
    busy: () => pushing || pulling || outbox.length > 0 || inFlight > 0,
    version: () => version,
    lastId: () => nextId - 1,
    async catchUp(target) {
      announced = Math.max(announced, target);
      for (let tries = 0; version < target && tries < BEHIND_TRIES; tries += 1) {
        await pull('sync-pull');
        if (version < target) await sleep(200);
      }
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
