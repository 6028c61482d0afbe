// The realtime path of a chaos device: the app's own realtime client (web/src/realtime) over a `ws`
// WebSocket to the gateway, whose incoming messages go through seeded faults while faults are on:
//
//   pass       delivered as is
//   lost       never delivered
//   duplicate  delivered twice
//   reorder    held until the next message has been delivered (or 400 ms)
//   delay      delivered after up to 300 ms
//
// An offline device has no socket: opening one fails and going offline closes the open ones.
// `brokenPokes` makes a deliberately wrong device, to show the suite catches it: `ignore` never lets
// a poke reach the sync loop, `unordered` stores a poke's records whatever version it stands at.

import * as v from 'valibot';
import WebSocket from 'ws';
import { ticketResponseSchema } from '../../../web/src/realtime/messages.ts';
import {
  createRealtimeClient,
  type SocketHandle,
  type SocketHandlers,
} from '../../../web/src/realtime/realtime-client.ts';
import type { Poke, PokeSource } from '../../../web/src/sync/sync-types.ts';
import type { Timers } from '../../../web/src/sync/timers.ts';
import { requestJson } from '../../../web/src/sync/transport.ts';
import type { PokeAudit } from './poke-audit.ts';
import type { Rng } from './rng.ts';

export const POKE_FATES = ['pass', 'lost', 'duplicate', 'reorder', 'delay'] as const;
export type PokeFate = (typeof POKE_FATES)[number];
export type BrokenPokes = 'ignore' | 'unordered';

const WEIGHTS: Record<PokeFate, number> = { pass: 50, lost: 15, duplicate: 10, reorder: 15, delay: 10 };

/** The faults every device's socket draws from; on and off with the HTTP proxy's. */
export interface PokeFaults {
  on: boolean;
  rng: Rng;
  counts: Record<PokeFate, number>;
}

export function createPokeFaults(rng: Rng): PokeFaults {
  return { on: false, rng, counts: { pass: 0, lost: 0, duplicate: 0, reorder: 0, delay: 0 } };
}

function draw(faults: PokeFaults): PokeFate {
  if (!faults.on) return 'pass';
  const total = POKE_FATES.reduce((sum, f) => sum + WEIGHTS[f], 0);
  let r = faults.rng.next() * total;
  for (const fate of POKE_FATES) {
    r -= WEIGHTS[fate];
    if (r < 0) return fate;
  }
  return 'pass';
}

function streamOf(data: string): Poke['stream'] | undefined {
  try {
    return (JSON.parse(data) as { stream?: Poke['stream'] }).stream;
  } catch {
    return undefined; // not a poke; the realtime client ignores it too
  }
}

export interface SimPokesOptions {
  socketUrl: string;
  deviceId: string;
  fetchFn: typeof fetch;
  faults: PokeFaults;
  audit: PokeAudit;
  timers: Timers;
  knownVersion(): number;
  isOnline(): boolean;
  onOnline(listener: () => void): () => void;
  /** For `brokenPokes: 'unordered'`: store a poke's records at once, as a careless client would. */
  storeDirectly?(stream: NonNullable<Poke['stream']>): void;
  broken?: BrokenPokes;
}

export interface SimPokes {
  source: PokeSource;
  /** Closes the open sockets (the device went offline). */
  disconnect(): void;
}

export function createSimPokes(o: SimPokesOptions): SimPokes {
  const open = new Set<WebSocket>();
  const deliver = (handlers: SocketHandlers, data: string) => {
    const stream = streamOf(data);
    if (stream) o.audit.delivered(stream);
    if (o.broken === 'ignore') return;
    if (stream && o.broken === 'unordered') o.storeDirectly?.(stream);
    handlers.onMessage(data);
  };
  let held: Array<() => void> = [];
  const releaseHeld = () => {
    const now = held;
    held = [];
    for (const release of now) release();
  };
  const receive = (handlers: SocketHandlers, data: string) => {
    const fate = draw(o.faults);
    o.faults.counts[fate] += 1;
    if (fate === 'lost') return;
    if (fate === 'delay') return void setTimeout(() => deliver(handlers, data), o.faults.rng.int(300));
    if (fate === 'reorder') {
      let done = false;
      const release = () => {
        if (!done) deliver(handlers, data);
        done = true;
      };
      held.push(release);
      return void setTimeout(release, 400);
    }
    deliver(handlers, data);
    if (fate === 'duplicate') deliver(handlers, data);
    releaseHeld();
  };
  const openSocket = (url: string, handlers: SocketHandlers): SocketHandle => {
    if (!o.isOnline()) {
      queueMicrotask(() => handlers.onClose());
      return { send: () => undefined, close: () => undefined };
    }
    const socket = new WebSocket(url);
    open.add(socket);
    socket.on('open', () => handlers.onOpen());
    socket.on('message', (data) => receive(handlers, String(data)));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      open.delete(socket);
      handlers.onClose();
    });
    return {
      send: (data) => socket.readyState === WebSocket.OPEN && socket.send(data),
      close: () => socket.close(),
    };
  };
  const source = createRealtimeClient({
    socketUrl: () => Promise.resolve(o.socketUrl),
    async fetchTicket() {
      const body = await requestJson(o.fetchFn, '/api/sync/ws-ticket', {
        method: 'POST',
        body: { deviceId: o.deviceId },
      });
      return v.parse(ticketResponseSchema, body).ticket;
    },
    openSocket,
    knownVersion: o.knownVersion,
    onOnline: o.onOnline,
    timers: o.timers,
    // The device's clock runs 10× fast; a heartbeat answer may take real seconds on a busy machine.
    heartbeatTimeoutMs: 200_000,
  });
  return {
    source,
    disconnect() {
      for (const socket of open) socket.terminate();
    },
  };
}
