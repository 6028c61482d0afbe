// The real-time client's loop with fake timers and a scripted socket: heartbeat cadence, a dead
// socket noticed by a missing answer, backoff between failed attempts, and "gone".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MESSAGE } from '../../web/src/realtime/messages.ts';
import {
  createRealtimeClient,
  HEARTBEAT_MS,
  HEARTBEAT_TIMEOUT_MS,
  type SocketHandlers,
} from '../../web/src/realtime/realtime-client.ts';

interface ScriptedSocket {
  url: string;
  handlers: SocketHandlers;
  sent: string[];
  closed: boolean;
}

function harness(opts: { ticketFails?: number } = {}) {
  const sockets: ScriptedSocket[] = [];
  const changes: boolean[] = [];
  const pokes: unknown[] = [];
  let ticketFailures = opts.ticketFails ?? 0;
  let tickets = 0;
  const attemptsAt: number[] = [];
  const source = createRealtimeClient({
    socketUrl: async () => 'wss://example.test/live',
    fetchTicket: async () => {
      attemptsAt.push(Date.now());
      tickets += 1;
      if (ticketFailures-- > 0) throw new Error('offline');
      return `t${tickets}`;
    },
    openSocket: (url, handlers) => {
      const s: ScriptedSocket = { url, handlers, sent: [], closed: false };
      sockets.push(s);
      return { send: (d) => s.sent.push(d), close: () => (s.closed = true) };
    },
    knownVersion: () => 5,
    random: () => 0.5,
  });
  const stop = source.start({ onPoke: (p) => pokes.push(p), onConnectionChange: (c) => changes.push(c) });
  return { sockets, changes, pokes, stop, attemptsAt, last: () => sockets.at(-1) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('realtime client loop', () => {
  it('sends a heartbeat every 8 minutes while answered, and nothing else', async () => {
    const h = harness();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.last()?.url).toBe('wss://example.test/live?ticket=t1');
    h.last()?.handlers.onOpen();
    for (let i = 0; i < 7; i++) {
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      h.last()?.handlers.onMessage(JSON.stringify({ type: 'heartbeat', version: 5 }));
    }
    // An hour's worth: 7 heartbeats and not one pull, on one connection.
    expect(h.last()?.sent).toEqual(Array(7).fill(HEARTBEAT_MESSAGE));
    expect(h.sockets).toHaveLength(1);
    expect(h.pokes).toEqual([]);
    expect(h.changes).toEqual([true]);
    h.stop();
  });

  it('treats an unanswered heartbeat as a dead socket and reconnects', async () => {
    const h = harness();
    await vi.advanceTimersByTimeAsync(0);
    h.last()?.handlers.onOpen();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS + HEARTBEAT_TIMEOUT_MS);
    expect(h.sockets[0]?.closed).toBe(true);
    expect(h.changes).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sockets).toHaveLength(2);
    expect(h.last()?.url).toContain('ticket=t2');
    h.stop();
  });

  it('backs off exponentially (full jitter) while tickets cannot be had', async () => {
    const h = harness({ ticketFails: 4 });
    await vi.advanceTimersByTimeAsync(60_000);
    // random = 0.5: waits of 0.5 s, 1 s, 2 s, 4 s between the five attempts.
    expect(h.attemptsAt).toEqual([0, 500, 1_500, 3_500, 7_500]);
    expect(h.sockets).toHaveLength(1);
    h.stop();
  });

  it('passes pokes on, pulls on a heartbeat answer ahead of it, and drops the socket on "gone"', async () => {
    const h = harness();
    await vi.advanceTimersByTimeAsync(0);
    h.last()?.handlers.onOpen();
    h.last()?.handlers.onMessage(JSON.stringify({ type: 'poke', version: 6, collections: ['weights'] }));
    h.last()?.handlers.onMessage(JSON.stringify({ type: 'heartbeat', version: 7 }));
    h.last()?.handlers.onMessage('{"type":"something-new"}');
    expect(h.pokes).toEqual([{ version: 6, collections: ['weights'] }, { version: 7 }]);
    h.last()?.handlers.onMessage(JSON.stringify({ type: 'gone' }));
    expect(h.sockets[0]?.closed).toBe(true);
    expect(h.changes).toEqual([true, false]);
    h.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.sockets).toHaveLength(1);
  });
});
