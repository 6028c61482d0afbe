// The mutation side of the fan-out: after a write committed, invoke `broadcast` asynchronously
// (InvocationType "Event": Lambda queues it and answers 202 at once), so the request that made the
// change never waits for the pokes. Without BROADCAST_FUNCTION_NAME (no WebSocket API deployed,
// handler tests) there is nobody to poke and this does nothing.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { getDb } from '../mongo.ts';
import type { CommittedWrite } from '../sync/committed-write.ts';
import { awsClientConfig } from './aws-client-config.ts';
import { pokeTargets } from './connections.ts';
import { type BroadcastEvent, MAX_HANDED_TARGETS } from './websocket-event.ts';

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

export async function invokeBroadcast(write: CommittedWrite): Promise<void> {
  const functionName = process.env.BROADCAST_FUNCTION_NAME;
  if (!functionName) return;
  // Most writes happen with no other device online: one indexed read spares the Invoke (a few ms on
  // every mutation, and a billed Lambda run). The same read names the connections, handed to
  // `broadcast` so that it posts at once instead of reading them again. A device that connects right
  // after this read loses nothing: the client pulls on every (re)connect.
  const targets = await pokeTargets(await getDb(), write.userId, write.sourceDeviceId);
  if (targets.length === 0) return;
  const [{ InvokeCommand }, client] = await Promise.all([import('@aws-sdk/client-lambda'), lambdaClient()]);
  const event: BroadcastEvent = {
    userId: write.userId,
    version: write.version,
    sourceDeviceId: write.sourceDeviceId,
    collections: write.collections,
    ...(write.stream ? { stream: write.stream } : {}),
    ...(targets.length <= MAX_HANDED_TARGETS ? { targets } : {}),
  };
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  if (out.StatusCode !== 202) throw new Error(`Invoking ${functionName} answered ${out.StatusCode}`);
}
