// The real-time client with the browser's adapters: fetch for the config and the ticket, the
// browser's WebSocket, real timers, the `online` event. Picked by the composition root (main.tsx).
import * as v from 'valibot';
import { siteConfigSchema } from '../../../core/schemas.ts';
import { deviceIdFor } from '../env/device-id.ts';
import type { PokeSource } from '../sync/sync-manager.ts';
import { requestJson, TransportError } from '../sync/transport.ts';
import { ticketResponseSchema } from './messages.ts';
import { createRealtimeClient, type OpenSocket } from './realtime-client.ts';

/**
 * The site publishes `{webSocketUrl}` in /config.json (null: no WebSocket API), the deployed stack in
 * its bucket and the local gateway with its own endpoint. An answer that is not such a config (an old
 * deployment, a host that answers HTML) is no WebSocket API either: the app polls. Rejects when
 * /config.json could not be fetched at all, or the server failed (5xx): the caller asks again later.
 */
export async function fetchSocketUrl(fetchFn: typeof fetch): Promise<string | null> {
  const res = await fetchFn('/config.json', { cache: 'no-store' });
  if (res.status >= 500) throw new Error(`/config.json answered ${res.status}`);
  const json: unknown = res.ok ? await res.json().catch(() => undefined) : undefined;
  const config = v.safeParse(siteConfigSchema, json);
  return config.success ? config.output.webSocketUrl : null;
}

let socketUrl: Promise<string | null> | undefined;

/** Asked once per page; after no answer at all (offline), asked again on the next attempt. */
function resolveSocketUrl(): Promise<string | null> {
  socketUrl ??= fetchSocketUrl((...args) => fetch(...args));
  socketUrl.catch(() => {
    socketUrl = undefined;
  });
  return socketUrl;
}

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  socket.onclose = () => handlers.onClose();
  return {
    send: (data) => socket.readyState === WebSocket.OPEN && socket.send(data),
    close: () => socket.close(),
  };
};

async function fetchTicket(userId: string): Promise<string> {
  // Read when connecting, not when composing: the session creates the device id first.
  const deviceId = deviceIdFor(userId, false);
  const body = await requestJson(fetch, '/api/sync/ws-ticket', { method: 'POST', body: { deviceId } });
  const parsed = v.safeParse(ticketResponseSchema, body);
  if (!parsed.success) throw new TransportError('transient', 'Malformed ticket answer');
  return parsed.output.ticket;
}

export function createBrowserPokeSource(userId: string, knownVersion: () => number): PokeSource {
  return createRealtimeClient({
    socketUrl: () => resolveSocketUrl(),
    fetchTicket: () => fetchTicket(userId),
    openSocket: openBrowserSocket,
    knownVersion,
    onOnline(listener) {
      window.addEventListener('online', listener);
      return () => window.removeEventListener('online', listener);
    },
  });
}

/** The version a session has pulled every collection up to (0 before its first pull). */
export function pulledVersion(versions: Readonly<Record<string, number>> | undefined): number {
  const values = Object.values(versions ?? {});
  return values.length ? Math.min(...values) : 0;
}
