// What the stack needs from the route table, as a value (so tests can also synthesize other tables),
// and the rules that derive permissions from it.
import {
  DEFAULT_TIMEOUT_SECONDS,
  type HttpRoute,
  httpRoutes,
  type InternalFunction,
  internalFunctions,
  type WebSocketRoute,
  websocketRoutes,
} from '../routes.ts';

export interface RouteTable {
  readonly httpRoutes: readonly HttpRoute[];
  readonly websocketRoutes: readonly WebSocketRoute[];
  readonly internalFunctions: readonly InternalFunction[];
}

export interface FunctionSpec {
  readonly name: string;
  readonly entry: string;
  readonly timeoutSeconds: number;
}

export const appRouteTable: RouteTable = { httpRoutes, websocketRoutes, internalFunctions };

/** Deployed but not in the route table: operations only (invoked by the deploy or an operator). */
export const OPS_FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'ensure-indexes', entry: 'functions/ops/ensure-indexes.ts', timeoutSeconds: 60 },
];

/** Every function of a table, in the same order and with the same defaults as `allFunctions()`. */
export function functionsOf(table: RouteTable): FunctionSpec[] {
  const all = [...table.httpRoutes, ...table.websocketRoutes, ...table.internalFunctions];
  const seen = new Set<string>();
  return all.map((f) => {
    if (seen.has(f.name)) throw new Error(`Function name "${f.name}" appears twice in the route table`);
    seen.add(f.name);
    const timeoutSeconds = ('timeoutSeconds' in f && f.timeoutSeconds) || DEFAULT_TIMEOUT_SECONDS;
    return { name: f.name, entry: f.entry, timeoutSeconds };
  });
}

/**
 * Routes that commit a user's data and so may poke the user's other devices through `broadcast`:
 * every state-changing session route except the account ones (functions/auth/: sessions, tickets).
 */
export function isMutationRoute(route: HttpRoute): boolean {
  return route.method !== 'GET' && route.auth === 'session' && !route.entry.startsWith('functions/auth/');
}
