// Route tables for the tests: the app's own, and the same completed with the real-time parts
// (WebSocket routes, their authorizer, broadcast) for whatever of those it does not have yet, so the
// WebSocket side of the stack is tested whatever state the shared table is in.
import type { InternalFunction, RouteTable, WebSocketRoute } from '../../infra/routes.ts';

/** Any existing handler file will do: bundling is skipped in the tests. */
const STAND_IN_ENTRY = 'functions/health.ts';

const REALTIME_ROUTES: WebSocketRoute[] = [
  { routeKey: '$connect', name: 'ws-connect', entry: STAND_IN_ENTRY },
  { routeKey: '$disconnect', name: 'ws-disconnect', entry: STAND_IN_ENTRY },
  { routeKey: '$default', name: 'ws-default', entry: STAND_IN_ENTRY },
];

const REALTIME_INTERNALS: InternalFunction[] = [
  { name: 'ws-authorizer', entry: STAND_IN_ENTRY, role: 'websocket-authorizer' },
  { name: 'broadcast', entry: STAND_IN_ENTRY, role: 'broadcast' },
];

export function withRealtime(table: RouteTable): RouteTable {
  const routeKeys = new Set(table.websocketRoutes.map((r) => r.routeKey));
  const roles = new Set(table.internalFunctions.map((f) => f.role));
  return {
    ...table,
    websocketRoutes: [...table.websocketRoutes, ...REALTIME_ROUTES.filter((r) => !routeKeys.has(r.routeKey))],
    internalFunctions: [...table.internalFunctions, ...REALTIME_INTERNALS.filter((f) => !roles.has(f.role))],
  };
}

/** The app's table without any WebSocket part: the stack must still build (polling only). */
export function withoutRealtime(table: RouteTable): RouteTable {
  return {
    ...table,
    websocketRoutes: [],
    internalFunctions: table.internalFunctions.filter((f) => f.role === 'http-authorizer'),
  };
}
