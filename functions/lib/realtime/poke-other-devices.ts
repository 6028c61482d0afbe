// The mutation side of the fan-out, after a write committed: poke the user's other connected devices.
//
//   pokeTargets (one indexed read) ── none ──► done (most writes: no other device is online)
//     │
//     ├─ ≤ DIRECT_POKE_LIMIT ──► post each poke from here, once, beside the request's other work
//     │                             failed (throttled, 5xx, unreachable) ──► invoke broadcast for those
//     └─ more ─────────────────► invoke broadcast (InvocationType "Event": queued, 202 at once)
//
// Posting from the writer spares the poke a Lambda Invoke and a second function's run (measured
// side by side in the propagation benchmark). It stays bounded: one try per connection, in parallel,
// with no backoff on the request's path; whatever fails goes to `broadcast`, whose retries, on-failure
// queue and PokesFailed alarm are the same as for a large fan-out. Without WS_MANAGEMENT_ENDPOINT (a
// writer deployed before it had the grant) every poke goes through `broadcast` as before; without
// BROADCAST_FUNCTION_NAME (no WebSocket API deployed, handler tests) nobody is poked.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { getDb } from '../mongo.ts';
import type { CommittedWrite } from '../sync/committed-write.ts';
import { awsClientConfig } from './aws-client-config.ts';
import { managementSender } from './connection-sender.ts';
import { pokeTargets } from './connections.ts';
import { fanOut } from './fan-out.ts';
import { type BroadcastEvent, MAX_HANDED_TARGETS } from './websocket-event.ts';

/**
 * The most connections a writer posts to itself. A user's other devices are one to three; past a
 * handful the posts' CPU (~0.25 ms each on one Lambda vCPU) would hold the writer's answer.
 */
export const DIRECT_POKE_LIMIT = 4;

let clientPromise: Promise<LambdaClient> | undefined;

function lambdaClient(): Promise<LambdaClient> {
  // Loaded on first use: functions that never write do not pay for the SDK at cold start.
  // cacheMiddleware: the middleware stack is resolved once, not again on every write's Invoke
  // (~0.1 of ~1 ms CPU per Invoke against a loopback endpoint).
  clientPromise ??= import('@aws-sdk/client-lambda').then(
    ({ LambdaClient }) =>
      new LambdaClient({ ...awsClientConfig(process.env.LAMBDA_ENDPOINT), cacheMiddleware: true }),
  );
  return clientPromise;
}

async function invokeBroadcast(functionName: string, event: BroadcastEvent): Promise<void> {
  const [{ InvokeCommand }, client] = await Promise.all([import('@aws-sdk/client-lambda'), lambdaClient()]);
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  if (out.StatusCode !== 202) throw new Error(`Invoking ${functionName} answered ${out.StatusCode}`);
}

export async function pokeOtherDevices(write: CommittedWrite): Promise<void> {
  const functionName = process.env.BROADCAST_FUNCTION_NAME;
  if (!functionName) return;
  // The same read that says whether anyone is listening names the connections. A device that
  // connects right after it loses nothing: the client pulls on every (re)connect.
  const db = await getDb();
  const targets = await pokeTargets(db, write.userId, write.sourceDeviceId);
  if (targets.length === 0) return;
  const event: BroadcastEvent = {
    userId: write.userId,
    version: write.version,
    sourceDeviceId: write.sourceDeviceId,
    collections: write.collections,
    ...(write.stream ? { stream: write.stream } : {}),
  };
  const endpoint = process.env.WS_MANAGEMENT_ENDPOINT;
  if (endpoint && targets.length <= DIRECT_POKE_LIMIT) {
    const { failedIds } = await fanOut(db, managementSender(endpoint, { attempts: 1 }), {
      ...event,
      targets,
    });
    if (failedIds.length > 0) await invokeBroadcast(functionName, { ...event, targets: failedIds });
    return;
  }
  // Handed over when few enough, so that `broadcast` posts at once instead of reading them again.
  await invokeBroadcast(functionName, targets.length <= MAX_HANDED_TARGETS ? { ...event, targets } : event);
}
