// Requests an idle device sends per hour, measured with the web app's own sync manager and real-time
// client running in Node against the local gateway, on a compressed clock: every timer of the
// client (poll interval, heartbeat, backoff) and the WebSocket API's limits (10-minute idle timeout,
// 2-hour connection age) run `scale` times faster, so hours of idling take seconds.
//
// Counted: every HTTP request (pull, push, ticket), every WebSocket handshake, every message sent.
import WebSocket from 'ws';
import { newDeviceId } from '../../core/ids.ts';
import { createCoreRebase } from '../../web/src/cache/core-rebase.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createRealtimeClient } from '../../web/src/realtime/realtime-client.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { createSyncManager } from '../../web/src/sync/sync-manager.ts';
import type { Timers } from '../../web/src/sync/timers.ts';
import { createFetchTransport } from '../../web/src/sync/transport.ts';

export interface IdleRun {
  baseUrl: string;
  cookie: string;
  /** `ws://…` of a WebSocket API attached with limits divided by `scale`; absent: polling only. */
  webSocketUrl?: string;
  scale: number;
  /** Virtual time before counting starts (start-up pulls are not idling). */
  warmupMs: number;
  virtualMs: number;
}

function scaledTimers(scale: number): Timers {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * scale,
    setTimeout: (fn, ms) => setTimeout(fn, ms / scale),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function idleRequestsPerHour(run: IdleRun): Promise<number> {
  let requests = 0;
  const fetchFn: typeof fetch = (input, init) => {
    requests += 1;
    const headers = { ...(init?.headers as Record<string, string>), cookie: run.cookie };
    return fetch(`${run.baseUrl}${String(input)}`, { ...init, headers });
  };
  const timers = scaledTimers(run.scale);
  const deviceId = newDeviceId();
  const replica = createReplica(createCoreRebase(deviceId));
  const pokeSource = run.webSocketUrl
    ? createRealtimeClient({
        socketUrl: async () => run.webSocketUrl ?? null,
        fetchTicket: async () => {
          const res = await fetchFn('/api/sync/ws-ticket', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deviceId }),
          });
          return ((await res.json()) as { ticket: string }).ticket;
        },
        openSocket: (url, handlers) => {
          requests += 1;
          const socket = new WebSocket(url);
          socket.on('open', () => handlers.onOpen());
          socket.on('message', (data) => handlers.onMessage(String(data)));
          socket.on('close', () => handlers.onClose());
          socket.on('error', () => undefined);
          return {
            send: (data) => {
              requests += 1;
              socket.send(data);
            },
            close: () => socket.close(),
          };
        },
        knownVersion: () => Math.min(...Object.values(replica.versions.peek())),
        timers,
      })
    : undefined;
  const manager = createSyncManager({
    replica,
    storage: createMemoryStorage(),
    transport: createFetchTransport(fetchFn),
    deviceId,
    env: { isVisible: () => true, isOnline: () => true, subscribe: () => () => undefined },
    timers,
    ...(pokeSource ? { pokeSource } : {}),
  });
  manager.start();
  await sleep(run.warmupMs / run.scale);
  const before = requests;
  await sleep(run.virtualMs / run.scale);
  const counted = requests - before;
  manager.stop();
  return (counted * 3_600_000) / run.virtualMs;
}
