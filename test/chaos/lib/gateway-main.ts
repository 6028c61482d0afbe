// Entry of the gateway child process of a chaos run: indexes ensured, then the local gateway on
// PORT with every function of the route table and the WebSocket API (pokes), printing
// "gateway <url>" once it listens.
//
// CHAOS_PROVISIONED=N (container mode) gives each function of the WebSocket path N provisioned
// containers (servers.ts says why).
//
// CHAOS_BROKEN_PUSH=1 swaps the push route's handler for broken-push.ts (a server that forgets the
// idempotency check). This file is the only reader of that flag; production code has no such seam.
import { ensureIndexes } from '../../../functions/lib/indexes.ts';
import { getDb } from '../../../functions/lib/mongo.ts';
import { createLocalGateway } from '../../../infra/local/gateway.ts';
import { attachWebSocketApi } from '../../../infra/local/websocket-api.ts';
import { httpRoutes, internalFunctions, websocketRoutes } from '../../../infra/routes.ts';

const BROKEN_PUSH_ENTRY = 'test/chaos/lib/broken-push.ts';

const routes =
  process.env.CHAOS_BROKEN_PUSH === '1'
    ? httpRoutes.map((r) => (r.name === 'sync-push' ? { ...r, entry: BROKEN_PUSH_ENTRY } : r))
    : httpRoutes;

await ensureIndexes(await getDb());
/**
 * What a device's socket needs at each (re)connect and each poke: the ticket and the HTTP authorizer in
 * front of it, the WebSocket authorizer and routes, and broadcast.
 */
function realtimePath(): string[] {
  return [
    ...httpRoutes.filter((r) => r.realtime).map((r) => r.name),
    ...websocketRoutes.map((r) => r.name),
    ...internalFunctions.map((f) => f.name),
  ];
}

const provisioned = Number(process.env.CHAOS_PROVISIONED ?? 0);
const containers =
  provisioned > 0
    ? { provisionedConcurrency: Object.fromEntries(realtimePath().map((name) => [name, provisioned])) }
    : undefined;
const gateway = await createLocalGateway({
  port: Number(process.env.PORT),
  host: '127.0.0.1',
  routes,
  ...(containers ? { containers } : {}),
});
const ws = attachWebSocketApi(gateway);
process.stdout.write(`gateway ${gateway.url}\n`);
process.on('SIGTERM', () => {
  void ws
    .stop()
    .then(() => gateway.close())
    .then(() => process.exit(0));
});
