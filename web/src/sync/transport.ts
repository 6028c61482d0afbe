// The network edge of the sync loop. `SyncTransport` is what the sync manager needs; the fetch
// implementation below is the only place that knows URLs, headers and status codes.
import * as v from 'valibot';
import type { CollectionName } from '../../../core/records.ts';
import {
  type MutationEnvelope,
  type PullResponse,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from '../../../core/schemas/sync-schemas.ts';

export const TRANSPORT_ERROR_KINDS = {
  /** No answer at all: offline, DNS, connection refused. */
  network: 'network',
  /** The session is gone: the app must show the sign-in screen. */
  unauthorized: 'unauthorized',
  /** 5xx, 429, or a malformed answer: retry later. */
  transient: 'transient',
  /** Any other 4xx: retrying the same request cannot help. */
  permanent: 'permanent',
} as const;
export type TransportErrorKind = (typeof TRANSPORT_ERROR_KINDS)[keyof typeof TRANSPORT_ERROR_KINDS];

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly status = 0,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  /** When a 429 says when to come back (Retry-After), in seconds. */
  readonly retryAfterSeconds: number | undefined;
}

export interface SyncTransport {
  push(deviceId: string, mutations: readonly MutationEnvelope[]): Promise<PushResponse>;
  pull(since: number, collections?: readonly CollectionName[]): Promise<PullResponse>;
  /** The compatibility endpoint mark-synced: records on the server how far this device has pulled (SyncState). */
  markSynced?(deviceId: string, version: number): Promise<void>;
  /** Whether the API answers at all (GET /api/health), to notice quickly that it is back. */
  health?(): Promise<boolean>;
}

export function kindOfStatus(status: number): TransportErrorKind {
  if (status === 401) return 'unauthorized';
  if (status >= 500 || status === 429 || status === 408) return 'transient';
  return 'permanent';
}

/**
 * How long a request may go unanswered. API Gateway's HTTP API gives up on an integration after 30 s
 * and answers 503, so past this no answer is coming: a connection that died mid-request (a phone
 * leaving Wi-Fi) would otherwise hold the sync loop, which runs one cycle at a time, forever.
 */
export const REQUEST_TIMEOUT_MS = 35_000;

/** fetch + JSON + status mapping, shared with the auth client. */
export async function requestJson(
  fetchFn: typeof fetch,
  url: string,
  init: { method: string; body?: unknown },
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<unknown> {
  // One signal for the answer and its body: a body that stalls is as dead as no answer.
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: init.method,
      credentials: 'same-origin',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal,
    });
  } catch (cause) {
    const message = signal.aborted ? 'The server did not answer in time' : 'The server could not be reached';
    throw new TransportError('network', message, 0, { cause });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    if (signal.aborted)
      throw new TransportError('network', 'The server did not answer in time', 0, { cause });
    text = '';
  }
  const json = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const message = errorMessage(json) ?? `HTTP ${response.status}`;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new TransportError(kindOfStatus(response.status), message, response.status, {
      ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  return json;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The field-level reasons when the server gives them ("Use at least 10 characters."), else its message. */
function errorMessage(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const { message, issues } = json as { message?: unknown; issues?: unknown };
  const reasons = Array.isArray(issues)
    ? issues.map((issue) => (issue as { message?: unknown })?.message).filter((m) => typeof m === 'string')
    : [];
  if (reasons.length) return `${reasons.join('. ')}.`;
  return typeof message === 'string' ? message : undefined;
}

function parse<S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new TransportError('transient', `Malformed ${what} response`);
  return result.output;
}

export function createFetchTransport(fetchFn: typeof fetch = (...a) => fetch(...a)): SyncTransport {
  return {
    async push(deviceId, mutations) {
      const json = await requestJson(fetchFn, '/api/sync/push', {
        method: 'POST',
        body: { deviceId, mutations },
      });
      return parse(pushResponseSchema, json, 'push');
    },
    async pull(since, collections) {
      const query = new URLSearchParams({ since: String(since) });
      if (collections?.length) query.set('collections', collections.join(','));
      const json = await requestJson(fetchFn, `/api/sync/pull?${query}`, { method: 'GET' });
      return parse(pullResponseSchema, json, 'pull');
    },
    async markSynced(deviceId, version) {
      await requestJson(fetchFn, '/api/sync/mark-synced', { method: 'POST', body: { deviceId, version } });
    },
    health() {
      return fetchFn('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(900) }).then(
        (response) => response.ok,
        () => false,
      );
    },
  };
}
