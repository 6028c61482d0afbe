// Structured JSON logs for every function: Powertools for AWS Lambda's Logger (one JSON object per
// line, Lambda context keys, log level from Lambda's advanced logging controls), plus one summary
// line per invocation that operators and the stack's metric filters read:
//
//   {"level":"INFO","message":"request","route":"POST /api/sync/push","status":200,"outcome":"ok",
//    "durationMs":41,"userIdHash":"9f2c…","deviceId":"device_…","function_request_id":"…", …}
//
// Only fields named here are logged: never bodies, headers, cookies, tokens or passwords.
import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'routine-sync' });

export const OUTCOMES = { ok: 'ok', clientError: 'client-error', serverError: 'server-error' } as const;
export type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

export function outcomeOf(status: number): Outcome {
  if (status >= 500) return OUTCOMES.serverError;
  return status >= 400 ? OUTCOMES.clientError : OUTCOMES.ok;
}

/** A stable pseudonym: lines of one user can be grouped without the logs holding the user id. */
export function hashUserId(userId: string | undefined): string | undefined {
  return userId && createHash('sha256').update(userId).digest('hex').slice(0, 16);
}

/** Device ids are client-chosen: keep only the documented shape, so a header cannot inject log text. */
export function safeDeviceId(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9_-]{1,100}$/.test(value) ? value : undefined;
}

export interface InvocationSummary {
  route: string;
  status?: number;
  outcome: Outcome;
  durationMs: number;
  userIdHash?: string | undefined;
  deviceId?: string | undefined;
  [key: string]: unknown;
}

/** Starts an invocation's log context (request id, cold start, function name) and returns its clock. */
export function beginInvocation(context: Context | undefined, now: () => number = Date.now): () => number {
  logger.resetKeys();
  if (context?.awsRequestId) logger.addContext(context);
  const started = now();
  return () => now() - started;
}

export function logInvocation(summary: InvocationSummary): void {
  const line = Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined));
  if (summary.outcome === OUTCOMES.serverError) logger.error('request', line);
  else logger.info('request', line);
}

/** For handlers outside defineHandler (authorizers, WebSocket routes, broadcast, ops): the same summary line. */
export function withInvocationLog<E, R>(
  route: string,
  handler: (event: E) => Promise<R>,
  describe: (result: R) => Record<string, unknown> = () => ({}),
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    const elapsed = beginInvocation(context);
    try {
      const result = await handler(event);
      logInvocation({ route, outcome: OUTCOMES.ok, durationMs: elapsed(), ...describe(result) });
      return result;
    } catch (err) {
      logInvocation({
        route,
        outcome: OUTCOMES.serverError,
        durationMs: elapsed(),
        error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
      });
      throw err;
    }
  };
}
