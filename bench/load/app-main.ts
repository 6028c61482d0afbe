// The app process of the load benchmark: the local gateway with every function and the WebSocket API
// attached, as `npm start` runs them (without the web build). Forked with an IPC channel: it sends
// `{ready, url}` once it listens and answers `{memory}` with its memory after a full GC, so the
// benchmark compares like with like at the start and the end of a soak.
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { createLocalGateway } from '../../infra/local/gateway.ts';
import { attachWebSocketApi } from '../../infra/local/websocket-api.ts';
import type { AppMessage, AppRequest } from './app-messages.ts';

const send = (message: AppMessage) => process.send?.(message);

await ensureIndexes(await getDb());
const gateway = await createLocalGateway({ port: 0, host: '127.0.0.1' });
const ws = attachWebSocketApi(gateway);
send({ type: 'ready', url: gateway.url });

process.on('message', (request: AppRequest) => {
  if (request.type !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  send({ type: 'memory', memory: { rss, heapUsed, heapTotal, external } });
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // $disconnect invocations still waiting on a database that is gone must not keep it alive.
  setTimeout(() => process.exit(1), 5_000).unref();
  void ws
    .stop()
    .then(() => gateway.close())
    .then(() => closeMongoClient())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
// A benchmark that dies must not leave its server running.
process.on('disconnect', stop);
