// The WebSocket poke source: the real-time half of the sync loop (the sync manager owns the other).
//
//   ┌► resolve URL (none ─► stay down: polling only)
//   │  ticket (POST /api/sync/ws-ticket) ─► open wss://…?ticket=   ─ fails ─┐
//   │  open ─► connected: the manager pulls and stops polling               │
//   │    poke ─────────────► its records, or a pull                        │
//   │    every 8 min: heartbeat ─► answer {version} > ours? ─► pull        │
//   │    no answer in 20 s ─► treat as dead                                 │
//   │  closed ─► disconnected: the manager polls again                     │
//   └──── wait backoffDelay(failures) (full jitter, 1 s … 60 s) ◄──────────┘
//
// API Gateway closes a connection after 10 idle minutes and after 2 hours in any case; the heartbeat
// keeps it inside the first (with room for background-tab timer throttling), the loop survives the
// second. Every (re)connect pulls, so nothing committed while the socket was down is missed.
import { backoffDelay } from '../sync/backoff.ts';
import type { Poke, PokeSource } from '../sync/sync-manager.ts';
import { realTimers, type TimerHandle, type Timers } from '../sync/timers.ts';
import { HEARTBEAT_MESSAGE, parseServerMessage } from './messages.ts';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(): void;
}

export interface SocketHandle {
  send(data: string): void;
  close(): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketHandle;

export interface RealtimeDeps {
  /** The WebSocket API's URL, or null when the app has none (polling only). */
  socketUrl(): Promise<string | null>;
  /** A fresh single-use ticket for this device. */
  fetchTicket(): Promise<string>;
  openSocket: OpenSocket;
  /** The version this device has pulled up to: a heartbeat answer above it means a missed poke. */
  knownVersion(): number;
  /** Called when the browser comes back online: reconnect at once instead of waiting out the backoff. */
  onOnline?(listener: () => void): () => void;
  timers?: Timers;
  random?: () => number;
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

export const HEARTBEAT_MS = 8 * 60 * 1000;
export const HEARTBEAT_TIMEOUT_MS = 20 * 1000;
/** A connection that lived this long was healthy: the next failure starts the backoff afresh. */
const HEALTHY_CONNECTION_MS = 60 * 1000;

type Handlers = Parameters<PokeSource['start']>[0];

export function createRealtimeClient(deps: RealtimeDeps): PokeSource {
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const timeoutMs = deps.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;

  return {
    start(handlers) {
      const loop = connectionLoop(deps, handlers, { timers, random, heartbeatMs, timeoutMs });
      loop.connect();
      const offOnline = deps.onOnline?.(() => loop.reconnectNow());
      return () => {
        offOnline?.();
        loop.stop();
      };
    },
  };
}

interface LoopSettings {
  timers: Timers;
  random: () => number;
  heartbeatMs: number;
  timeoutMs: number;
}

function connectionLoop(deps: RealtimeDeps, handlers: Handlers, s: LoopSettings) {
  let running = true;
  let connected = false;
  let failures = 0;
  let socket: SocketHandle | undefined;
  let openedAt = 0;
  let connecting = false;
  let retryTimer: TimerHandle | undefined;
  let beatTimer: TimerHandle | undefined;
  let answerTimer: TimerHandle | undefined;

  const clear = (t: TimerHandle | undefined) => t !== undefined && s.timers.clearTimeout(t);
  const setConnected = (next: boolean) => {
    if (next === connected) return;
    connected = next;
    handlers.onConnectionChange(next);
  };

  function scheduleBeat(): void {
    clear(beatTimer);
    clear(answerTimer);
    answerTimer = undefined;
    beatTimer = s.timers.setTimeout(() => {
      socket?.send(HEARTBEAT_MESSAGE);
      answerTimer = s.timers.setTimeout(() => drop(), s.timeoutMs);
    }, s.heartbeatMs);
  }

  function onMessage(data: string): void {
    const message = parseServerMessage(data);
    if (!message) return;
    if (message.type === 'poke') {
      const poke: Poke = { version: message.version, collections: message.collections };
      if (message.stream) poke.stream = message.stream as Poke['stream'];
      handlers.onPoke(poke);
    } else if (message.type === 'heartbeat') {
      if (message.version > deps.knownVersion()) handlers.onPoke({ version: message.version });
    } else if (message.type === 'gone') {
      drop();
      return;
    }
    // Any message proves the connection alive: the next heartbeat is due a full interval from now.
    scheduleBeat();
  }

  /** Forget the current socket (closed by the server, or dead) and try again after a backoff. */
  function drop(): void {
    const old = socket;
    socket = undefined;
    clear(beatTimer);
    clear(answerTimer);
    old?.close();
    if (openedAt && s.timers.now() - openedAt >= HEALTHY_CONNECTION_MS) failures = 0;
    openedAt = 0;
    setConnected(false);
    scheduleRetry();
  }

  function scheduleRetry(): void {
    if (!running) return;
    clear(retryTimer);
    retryTimer = s.timers.setTimeout(connect, backoffDelay(failures, s.random));
    failures += 1;
  }

  async function open(): Promise<void> {
    const url = await deps.socketUrl();
    if (!url || !running) return; // No WebSocket API: the manager keeps polling.
    const ticket = await deps.fetchTicket();
    if (!running) return;
    const own: SocketHandle = deps.openSocket(
      `${url}${url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`,
      {
        onOpen: () => {
          if (socket !== own) return;
          openedAt = s.timers.now();
          setConnected(true);
          scheduleBeat();
        },
        onMessage: (data) => socket === own && onMessage(data),
        onClose: () => socket === own && drop(),
      },
    );
    socket = own;
  }

  function connect(): void {
    retryTimer = undefined;
    if (!running || socket || connecting) return;
    connecting = true;
    open()
      .catch(() => {
        if (!socket) scheduleRetry();
      })
      .finally(() => {
        connecting = false;
      });
  }

  return {
    connect,
    reconnectNow() {
      if (!running || socket || connecting) return;
      clear(retryTimer);
      connect();
    },
    stop() {
      running = false;
      clear(retryTimer);
      clear(beatTimer);
      clear(answerTimer);
      const old = socket;
      socket = undefined;
      old?.close();
    },
  };
}
