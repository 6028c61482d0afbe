// The local WebSocket API, attached to the local gateway's HTTP server (`npm start` finds this module
// and calls attachWebSocketApi). It runs the route table's WebSocket functions the way API Gateway does:
//
//   GET /ws?ticket=… (upgrade) ─► $connect authorizer ─► ws-connect ─► 2xx: handshake, else that status
//   client message             ─► $default; its response body goes back to the client (returnResponse)
//   close / idle 10 min / 2 h  ─► $disconnect
//   /ws/@connections/{id}      ─► the Management API (websocket-management.ts)
//
// It also sets the environment the cloud stack gives the functions: WS_MANAGEMENT_ENDPOINT for
// `broadcast`, BROADCAST_FUNCTION_NAME for the mutation functions (they share this process).
// And, as the stack does in the site's config.json, it names itself in the gateway's /config.json.
import { type IncomingMessage, type RequestListener, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type InternalFunction, internalFunctions, type WebSocketRoute, websocketRoutes } from '../routes.ts';
import { splitUrl } from './api-event.ts';
import type { LocalGateway } from './gateway.ts';
import { runConnectAuthorizer } from './websocket-authorizer.ts';
import {
  type ConnectionInfo,
  connectEvent,
  connectionInfo,
  disconnectEvent,
  messageEvent,
  newConnectionId,
} from './websocket-events.ts';
import {
  type ConnectionLookup,
  handleManagement,
  type LiveConnection,
  MAX_MESSAGE_BYTES,
} from './websocket-management.ts';

export interface WebSocketApiOptions {
  /** Where clients connect; the Management API lives under it. Default `/ws`. */
  path?: string;
  routes?: readonly WebSocketRoute[];
  internalFunctions?: readonly InternalFunction[];
  /** API Gateway: 10 minutes without a message either way. */
  idleTimeoutMs?: number;
  /** API Gateway: 2 hours. */
  maxAgeMs?: number;
}

export interface LocalWebSocketApi {
  /** `ws://host:port/ws`: what the browser connects to. */
  url: string;
  managementEndpoint: string;
  connectionIds(): string[];
  stop(): Promise<void>;
}

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_AGE_MS = 2 * 60 * 60 * 1000;

function refuse(socket: Duplex, status: number): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

function statusOf(value: unknown): number {
  const status = (value as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 200;
}

export function attachWebSocketApi(gateway: LocalGateway, opts: WebSocketApiOptions = {}): LocalWebSocketApi {
  const path = opts.path ?? '/ws';
  const routes = new Map((opts.routes ?? websocketRoutes).map((r) => [r.routeKey, r.name]));
  const internal = opts.internalFunctions ?? internalFunctions;
  const authorizerName = internal.find((f) => f.role === 'websocket-authorizer')?.name;
  const broadcastName = internal.find((f) => f.role === 'broadcast')?.name;
  const host = gateway.functions;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const live = new Map<string, LiveConnection>();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  async function invokeRoute(routeKey: WebSocketRoute['routeKey'], event: unknown) {
    const name = routes.get(routeKey);
    if (!name) return undefined;
    const outcome = await host.invoke(name, event);
    if (outcome.status !== 'ok') {
      console.error(JSON.stringify({ level: 'error', function: name, routeKey, error: outcome.error }));
    }
    return outcome;
  }

  function open(ws: WebSocket, info: ConnectionInfo): void {
    const idleMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      connection.lastActiveAt = Date.now();
      clearTimeout(idle);
      idle = setTimeout(() => ws.close(1001, 'Going away'), idleMs);
    };
    const maxAge = setTimeout(() => ws.close(1001, 'Going away'), opts.maxAgeMs ?? MAX_AGE_MS);
    const connection: LiveConnection = {
      info,
      lastActiveAt: Date.now(),
      send: (data) =>
        new Promise((done, fail) => {
          if (ws.readyState !== ws.OPEN) return fail(new Error('closed'));
          touch();
          ws.send(data.toString('utf8'), (err) => (err ? fail(err) : done()));
        }),
      close: (code, reason) => ws.close(code, reason),
    };
    live.set(info.connectionId, connection);
    touch();
    ws.on('message', (data, isBinary) => {
      touch();
      const body = isBinary ? Buffer.from(data as Buffer).toString('base64') : String(data);
      track(
        invokeRoute('$default', messageEvent(info, body)).then((outcome) => {
          const reply =
            outcome?.status === 'ok' ? (outcome.value as { body?: unknown } | null)?.body : undefined;
          if (typeof reply === 'string' && ws.readyState === ws.OPEN) ws.send(reply);
          if (outcome && outcome.status !== 'ok' && ws.readyState === ws.OPEN) {
            ws.send(JSON.stringify({ message: 'Internal server error', connectionId: info.connectionId }));
          }
        }),
      );
    });
    ws.on('close', (code, reason) => {
      clearTimeout(idle);
      clearTimeout(maxAge);
      live.delete(info.connectionId);
      track(invokeRoute('$disconnect', disconnectEvent(info, code, reason.toString('utf8'))));
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const info = connectionInfo(req, newConnectionId());
    const auth = await runConnectAuthorizer(host, authorizerName, info);
    if (auth.kind === 'denied') return refuse(socket, auth.status);
    if (auth.context) info.authorizer = auth.context;
    const outcome = await invokeRoute('$connect', connectEvent(info));
    if (outcome && outcome.status !== 'ok') return refuse(socket, 500);
    const status = outcome ? statusOf(outcome.value) : 200;
    if (status < 200 || status > 299) return refuse(socket, status);
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, info));
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (splitUrl(req.url ?? '/').rawPath !== path) {
      // Another WebSocket API attached to the same server (another path) may own it.
      if (gateway.server.listenerCount('upgrade') === 1) refuse(socket, 404);
      return;
    }
    track(
      upgrade(req, socket, head).catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'error', msg: 'websocket upgrade failed', error: String(err) }),
        );
        refuse(socket, 500);
      }),
    );
  };
  gateway.server.on('upgrade', onUpgrade);

  const unrouteManagement = routeManagementRequests(gateway, `${path}/@connections/`, (id) => live.get(id));
  const managementEndpoint = `${gateway.url}${path}`;
  const restoreEnv = setFunctionEnvironment(managementEndpoint, broadcastName);
  const unpublish = gateway.publishWebSocket(path);

  return {
    url: `${gateway.url.replace(/^http/, 'ws')}${path}`,
    managementEndpoint,
    connectionIds: () => [...live.keys()],
    async stop() {
      gateway.server.off('upgrade', onUpgrade);
      unpublish();
      unrouteManagement();
      for (const connection of live.values()) connection.close(1001, 'Going away');
      restoreEnv();
      wss.close();
      // Let the $disconnect invocations finish before the caller closes the database.
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}

/**
 * The Management API shares the gateway's port: requests under `prefix` go to it, everything else to
 * the gateway's own listener as before. Answers the function that undoes this.
 */
function routeManagementRequests(
  gateway: LocalGateway,
  prefix: string,
  lookup: ConnectionLookup,
): () => void {
  const { server, guard } = gateway;
  const gatewayListeners = server.listeners('request') as RequestListener[];
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const rawPath = splitUrl(req.url ?? '/').rawPath;
    if (!rawPath.startsWith(prefix)) {
      for (const listener of gatewayListeners) listener.call(server, req, res);
      return;
    }
    handleManagement(lookup, guard, req, res, rawPath.slice(prefix.length)).catch(() => res.destroy());
  };
  server.removeAllListeners('request');
  server.on('request', onRequest);
  return () => {
    server.off('request', onRequest);
    for (const listener of gatewayListeners) server.on('request', listener);
  };
}

/** What the cloud stack sets for the functions; they share this process. Answers the undo. */
function setFunctionEnvironment(managementEndpoint: string, broadcastName: string | undefined): () => void {
  const previous = {
    WS_MANAGEMENT_ENDPOINT: process.env.WS_MANAGEMENT_ENDPOINT,
    BROADCAST_FUNCTION_NAME: process.env.BROADCAST_FUNCTION_NAME,
  };
  process.env.WS_MANAGEMENT_ENDPOINT = managementEndpoint;
  if (broadcastName && !process.env.BROADCAST_FUNCTION_NAME)
    process.env.BROADCAST_FUNCTION_NAME = broadcastName;
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
