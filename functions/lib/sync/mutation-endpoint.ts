// One Lambda per domain mutation, all built here. The envelope's metadata travels in headers
// (`x-device-id`, `x-mutation-id`, `x-hlc`); the body is the mutation's args with the path
// parameters merged in. Answers:
//   200 {version, status: "applied" | "duplicate"}
//   4xx {error: <DomainError code>, message, version, status: "rejected"}: recorded, the id is spent
//   400 BadRequest (headers or args fail their schema): nothing written, the id is still free
//   409 {error: "MutationIdGap", expected} · 403 device of another account
import * as v from 'valibot';
import { type MutationName, mutators } from '../../../core/mutations/index.ts';
import { whileAccountExists } from '../auth/account-guard.ts';
import { HttpError, statusOf } from '../errors.ts';
import { defineHandler, type HandlerResponse, type HttpHandler, parseWith } from '../http-handler.ts';
import { getDb } from '../mongo.ts';
import { mutationHeadersSchema } from './request-schemas.ts';
import { commitBatch, type MutationOutcome, notifyCommitted, singleOutcome } from './write-mutation.ts';

const argsObjectSchema = v.record(v.string(), v.unknown());

export interface MutationEndpoint {
  name: MutationName;
  /** Path parameter → args field, e.g. `{taskId: 'id'}` for `PATCH /api/tasks/{taskId}`. */
  params?: Record<string, string>;
  /** DELETE routes carry everything in the path. */
  hasBody?: boolean;
}

/** A malformed escape (`%`, `%zz`) is the caller's mistake: 400, not a URIError and a 500. */
function decodePathParameter(param: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    throw new HttpError(
      'BadRequest',
      `Path parameter ${param} is not valid percent-encoding`,
      {},
      { cause: err },
    );
  }
}

function argsFrom(endpoint: MutationEndpoint, body: unknown, pathParams: Record<string, string | undefined>) {
  const args: Record<string, unknown> = { ...(body as Record<string, unknown> | undefined) };
  for (const [param, field] of Object.entries(endpoint.params ?? {})) {
    const value = pathParams[param];
    if (value !== undefined) args[field] = decodePathParameter(param, value);
  }
  return args;
}

export function defineMutationHandler(endpoint: MutationEndpoint): HttpHandler {
  const argsSchema = mutators[endpoint.name].argsSchema;
  const spec =
    endpoint.hasBody === false
      ? { auth: 'session' as const }
      : { auth: 'session' as const, body: argsObjectSchema };
  return defineHandler(spec, async (req) => {
    const meta = parseWith(mutationHeadersSchema, req.headers, 'mutation headers');
    const args = argsFrom(endpoint, req.body, req.event.pathParameters ?? {});
    parseWith(argsSchema, args, `${endpoint.name} arguments`);
    const db = await getDb();
    const target = { db, userId: req.userId, deviceId: meta['x-device-id'] };
    const mutation = { id: meta['x-mutation-id'], name: endpoint.name, args, hlc: meta['x-hlc'] };
    const result = await whileAccountExists(
      db,
      req.userId,
      () => commitBatch(target, [mutation]),
      (committed) => notifyCommitted(target, [committed]),
    );
    return toResponse(singleOutcome(result));
  });
}

function toResponse(outcome: MutationOutcome): HandlerResponse {
  const { version, status, error } = outcome;
  if (status !== 'rejected' || !error) return { status: 200, body: { version, status } };
  return {
    status: statusOf(error.code),
    body: { error: error.code, message: error.message, version, status },
  };
}
