// X-Ray subsegments for MongoDB round trips, on when the stack deploys with `-c tracing=true` (it then
// sets TRACING=true and turns on Lambda active tracing). The driver's command monitoring events
// (commandStarted → commandSucceeded/commandFailed, matched by requestId) become one subsegment per
// command, named after it, under the invocation's segment; Powertools Tracer (over aws-xray-sdk-core)
// owns the segment. Loaded only when tracing is on, so a traced-off cold start does not pay for it.
import type { MongoClient } from 'mongodb';

export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.TRACING === 'true';
}

interface CommandSubsegment {
  namespace?: string;
  addAnnotation(key: string, value: string | number | boolean): void;
  close(error?: Error, remote?: boolean): void;
}

/** The collection a command names (`{ find: 'tasks' }`), or undefined for database commands. */
function collectionOf(command: Record<string, unknown>, commandName: string): string | undefined {
  const target = command[commandName];
  return typeof target === 'string' ? target : undefined;
}

// Only names go into a subsegment, never the command's filter or documents: traces are read by
// whoever can open the X-Ray console, and the documents hold users' data.
export async function traceMongoCommands(client: MongoClient): Promise<void> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'routine-sync' });
  const open = new Map<number, CommandSubsegment>();
  client.on('commandStarted', (event) => {
    const segment = tracer.getSegment();
    if (!segment) return;
    const sub: CommandSubsegment = segment.addNewSubsegment(`mongodb ${event.commandName}`);
    // "remote": a call to a downstream service, drawn as its own node on the X-Ray service map.
    sub.namespace = 'remote';
    sub.addAnnotation('db', event.databaseName);
    const collection = collectionOf(event.command, event.commandName);
    if (collection) sub.addAnnotation('collection', collection);
    open.set(event.requestId, sub);
  });
  const close = (requestId: number, error?: Error) => {
    const sub = open.get(requestId);
    open.delete(requestId);
    sub?.close(error, error !== undefined);
  };
  client.on('commandSucceeded', (event) => close(event.requestId));
  client.on('commandFailed', (event) => close(event.requestId, event.failure));
}
