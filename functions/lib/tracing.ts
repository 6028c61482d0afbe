// X-Ray subsegments for MongoDB round trips, on when the stack deploys with `-c tracing=true` (it then
// sets TRACING=true and turns on Lambda active tracing). The driver's command monitoring events
// (commandStarted → commandSucceeded/commandFailed, matched by requestId) become one subsegment per
// command, named after it, under the invocation's segment; Powertools Tracer (over aws-xray-sdk-core)
// owns the segment. Loaded only when tracing is on, so a traced-off cold start does not pay for it.
import type { MongoClient } from 'mongodb';

export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.TRACING === 'true';
}

interface Closable {
  addAnnotation(key: string, value: string | number | boolean): void;
  addError(error: Error): void;
  close(): void;
}

export async function traceMongoCommands(client: MongoClient): Promise<void> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'routine-sync' });
  const open = new Map<number, Closable>();
  client.on('commandStarted', (event) => {
    const segment = tracer.getSegment();
    if (!segment) return;
    const sub = segment.addNewSubsegment(`mongodb ${event.commandName}`);
    sub.addAnnotation('db', event.databaseName);
    open.set(event.requestId, sub);
  });
  const close = (requestId: number, error?: Error) => {
    const sub = open.get(requestId);
    open.delete(requestId);
    if (error) sub?.addError(error);
    sub?.close();
  };
  client.on('commandSucceeded', (event) => close(event.requestId));
  client.on('commandFailed', (event) => close(event.requestId, event.failure));
}
