// The one route table: every function the app has (HTTP routes, WebSocket routes, internal and
// operations functions), with what each may do. The local gateway, the CDK stack and `npm run invoke`
// all read it, so the set of functions that run locally is, by construction, the set that is deployed.

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** `public` routes run without the authorizer; `session` routes require a signed-in user. */
export type RouteAuth = 'public' | 'session';

export interface HttpRoute {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/api/tasks/{taskId}`. */
  readonly path: string;
  /** Function name, unique across the app: used by Invoke, logs, CDK ids and `npm run invoke`. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly auth: RouteAuth;
  readonly timeoutSeconds?: number;
  /** Commits a user's data, so it may invoke `broadcast` to poke the user's other devices (IAM grant). */
  readonly broadcasts?: boolean;
  /** The function revokes sessions, and closes their WebSocket connections (Management API access). */
  readonly closesConnections?: true;
  /**
   * Part of the WebSocket path (the ticket every device asks for at each (re)connect): budgeted with
   * the realtime functions, which see whole reconnect storms, not with the plain API routes.
   */
  readonly realtime?: true;
}

export interface WebSocketRoute {
  readonly routeKey: '$connect' | '$disconnect' | '$default';
  readonly name: string;
  readonly entry: string;
}

/** Functions that no route calls directly: the authorizers and the fan-out. */
export interface InternalFunction {
  readonly name: string;
  readonly entry: string;
  readonly role: 'http-authorizer' | 'websocket-authorizer' | 'broadcast';
  readonly timeoutSeconds?: number;
}

/** Deployed but called by no route: by the deploy (`runsOnDeploy`) or an operator (`npm run invoke`). */
export interface OpsFunction {
  readonly name: string;
  readonly entry: string;
  readonly timeoutSeconds?: number;
  /** Run once after every deployment that changes the code. */
  readonly runsOnDeploy?: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;
/** Every function's memory, in the stack and in what the local runtimes report (one figure, one place). */
export const FUNCTION_MEMORY_MB = 512;

export const httpRoutes: readonly HttpRoute[] = [
  { method: 'GET', path: '/api/health', name: 'health', entry: 'functions/health.ts', auth: 'public' },
  // Accounts and sessions (issue #5).
  {
    method: 'POST',
    path: '/api/auth/signup',
    name: 'auth-signup',
    entry: 'functions/auth/signup.ts',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    name: 'auth-login',
    entry: 'functions/auth/login.ts',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    name: 'auth-logout',
    entry: 'functions/auth/logout.ts',
    auth: 'session',
    closesConnections: true,
  },
  { method: 'GET', path: '/api/auth/me', name: 'auth-me', entry: 'functions/auth/me.ts', auth: 'session' },
  // Account control (issue #14): each revokes sessions, so each may close WebSocket connections.
  {
    method: 'POST',
    path: '/api/auth/logout-everywhere',
    name: 'auth-logout-everywhere',
    entry: 'functions/auth/logout-everywhere.ts',
    auth: 'session',
    closesConnections: true,
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    name: 'auth-change-password',
    entry: 'functions/auth/change-password.ts',
    auth: 'session',
    closesConnections: true,
  },
  {
    method: 'DELETE',
    path: '/api/auth/account',
    name: 'auth-delete-account',
    entry: 'functions/auth/delete-account.ts',
    auth: 'session',
    closesConnections: true,
    timeoutSeconds: 30,
  },
  {
    method: 'POST',
    path: '/api/sync/ws-ticket',
    name: 'sync-ws-ticket',
    entry: 'functions/auth/ws-ticket.ts',
    auth: 'session',
    realtime: true,
  },
  // Sync: the compatibility endpoints (docs/rules.md), the delta pull and the batched push.
  {
    method: 'GET',
    path: '/api/sync/check-update',
    name: 'sync-check-update',
    entry: 'functions/sync/check-update.ts',
    auth: 'session',
  },
  {
    method: 'POST',
    path: '/api/sync/mark-update',
    name: 'sync-mark-update',
    entry: 'functions/sync/mark-update.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/sync/mark-synced',
    name: 'sync-mark-synced',
    entry: 'functions/sync/mark-synced.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/sync/notify-change',
    name: 'sync-notify-change',
    entry: 'functions/sync/notify-change.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'GET',
    path: '/api/sync/pull',
    name: 'sync-pull',
    entry: 'functions/sync/pull.ts',
    auth: 'session',
  },
  {
    method: 'POST',
    path: '/api/sync/push',
    name: 'sync-push',
    entry: 'functions/sync/push.ts',
    auth: 'session',
    broadcasts: true,
  },
  // One function per domain mutation (x-device-id, x-mutation-id, x-hlc headers; body = args).
  {
    method: 'POST',
    path: '/api/tasks',
    name: 'tasks-create',
    entry: 'functions/tasks/create-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/reorder',
    name: 'tasks-reorder',
    entry: 'functions/tasks/reorder-tasks.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'PATCH',
    path: '/api/tasks/{taskId}',
    name: 'tasks-edit',
    entry: 'functions/tasks/edit-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/{taskId}/archive',
    name: 'tasks-archive',
    entry: 'functions/tasks/archive-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/{taskId}/complete',
    name: 'tasks-complete',
    entry: 'functions/tasks/complete-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/{taskId}/skip',
    name: 'tasks-skip',
    entry: 'functions/tasks/skip-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/{taskId}/uncomplete',
    name: 'tasks-uncomplete',
    entry: 'functions/tasks/uncomplete-task.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'PUT',
    path: '/api/weights/{date}',
    name: 'weights-put',
    entry: 'functions/weights/put-weight.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'DELETE',
    path: '/api/weights/{date}',
    name: 'weights-delete',
    entry: 'functions/weights/delete-weight.ts',
    auth: 'session',
    broadcasts: true,
  },
  {
    method: 'PUT',
    path: '/api/settings',
    name: 'settings-put',
    entry: 'functions/settings/put-settings.ts',
    auth: 'session',
    broadcasts: true,
  },
  // Read endpoints: what the home, health and dashboard screens show.
  {
    method: 'GET',
    path: '/api/home',
    name: 'read-home',
    entry: 'functions/read/home.ts',
    auth: 'session',
  },
  {
    method: 'GET',
    path: '/api/health-data',
    name: 'read-health-data',
    entry: 'functions/read/health-data.ts',
    auth: 'session',
  },
  {
    method: 'GET',
    path: '/api/dashboard',
    name: 'read-dashboard',
    entry: 'functions/read/dashboard.ts',
    auth: 'session',
  },
];

export const websocketRoutes: readonly WebSocketRoute[] = [
  // Real-time pokes (issue #10): connections authorized by a single-use ticket, a heartbeat.
  { routeKey: '$connect', name: 'ws-connect', entry: 'functions/realtime/ws-connect.ts' },
  { routeKey: '$disconnect', name: 'ws-disconnect', entry: 'functions/realtime/ws-disconnect.ts' },
  { routeKey: '$default', name: 'ws-default', entry: 'functions/realtime/ws-default.ts' },
];

export const internalFunctions: readonly InternalFunction[] = [
  { name: 'authorizer', entry: 'functions/auth/authorizer.ts', role: 'http-authorizer' },
  { name: 'ws-authorizer', entry: 'functions/realtime/ws-authorizer.ts', role: 'websocket-authorizer' },
  { name: 'broadcast', entry: 'functions/realtime/broadcast.ts', role: 'broadcast' },
];

export const opsFunctions: readonly OpsFunction[] = [
  {
    name: 'ensure-indexes',
    entry: 'functions/ops/ensure-indexes.ts',
    timeoutSeconds: 60,
    runsOnDeploy: true,
  },
];

/** A whole table as a value, so tests can build the stack or the gateway from other tables. */
export interface RouteTable {
  readonly httpRoutes: readonly HttpRoute[];
  readonly websocketRoutes: readonly WebSocketRoute[];
  readonly internalFunctions: readonly InternalFunction[];
  readonly opsFunctions: readonly OpsFunction[];
}

export const routeTable: RouteTable = { httpRoutes, websocketRoutes, internalFunctions, opsFunctions };

export type FunctionKind = 'http' | 'websocket' | 'internal' | 'ops';

export interface FunctionSpec {
  readonly name: string;
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly kind: FunctionKind;
}

/** Every function of a table, defaults applied; names must be unique across the whole table. */
export function functionsOf(table: RouteTable): FunctionSpec[] {
  const kinds: Array<
    [FunctionKind, ReadonlyArray<{ name: string; entry: string; timeoutSeconds?: number }>]
  > = [
    ['http', table.httpRoutes],
    ['websocket', table.websocketRoutes],
    ['internal', table.internalFunctions],
    ['ops', table.opsFunctions],
  ];
  const seen = new Set<string>();
  return kinds.flatMap(([kind, list]) =>
    list.map((f) => {
      if (seen.has(f.name)) throw new Error(`Function name "${f.name}" appears twice in the route table`);
      seen.add(f.name);
      return {
        name: f.name,
        entry: f.entry,
        timeoutSeconds: f.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS,
        kind,
      };
    }),
  );
}

/** Every function the app deploys. */
export function allFunctions(): FunctionSpec[] {
  return functionsOf(routeTable);
}
