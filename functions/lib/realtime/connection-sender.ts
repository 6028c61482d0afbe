// Posts to WebSocket connections through the API Gateway Management API. The endpoint is the
// stage's callback URL (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`, set by the CDK
// stack) or the local gateway's emulation of it.
//
// A post is PostToConnection on the wire, `POST {stage}/@connections/{id}` signed with SigV4 for
// execute-api, made with the SDK client's own signer (its credential chain, region and signing key
// cache) and its own HTTP handler (keep-alive agents), but not through `client.send`. That
// pipeline (serde, endpoint rules, retry strategy, user agent, auth scheme selection) cost twice
// the CPU of the signing and the HTTP together, ~0.15 ms of ~0.25 ms per post, and a fan-out pays
// it once per device on one Lambda CPU. What it gave PostToConnection is kept here: the 410 →
// gone outcome, and retries of throttling, 5xx and network errors.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { awsClientConfig } from './aws-client-config.ts';

export type PostOutcome = 'sent' | 'gone';

export interface ConnectionSender {
  post(connectionId: string, data: string): Promise<PostOutcome>;
}

export const POST_ERROR_CODES = {
  /** The Management API answered a status that is neither success, gone nor worth a retry. */
  Refused: 'Refused',
  /** Still throttled, failing or unreachable after MAX_ATTEMPTS. */
  RetriesExhausted: 'RetriesExhausted',
} as const;
export type PostErrorCode = (typeof POST_ERROR_CODES)[keyof typeof POST_ERROR_CODES];

export class PostToConnectionError extends Error {
  override readonly name = 'PostToConnectionError';
  constructor(
    readonly code: PostErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The WebSocket stage's callback URL: set by the CDK stack, and by the local gateway for its emulation. */
export function managementEndpoint(env = process.env): string {
  const endpoint = env.WS_MANAGEMENT_ENDPOINT;
  if (!endpoint) throw new Error('Set WS_MANAGEMENT_ENDPOINT to the WebSocket API management endpoint');
  return endpoint;
}

/** Enough sockets for a whole fan-out at once: the SDK's default of 50 queues half of 100 posts. */
export const MAX_SOCKETS = 128;
/** As the SDK's standard retry strategy: the first try and two retries. */
export const MAX_ATTEMPTS = 3;
/** Throttled, or failing on API Gateway's side: worth another try, as the SDK would. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Full-jitter exponential backoff with the SDK's 100 ms base: attempt 1 → [0, 100), 2 → [0, 200). */
export function retryDelayMs(attempt: number, random = Math.random): number {
  return random() * 100 * 2 ** (attempt - 1);
}

export interface SenderOptions {
  /** Injected so tests need not wait out the backoff. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Tries per post, MAX_ATTEMPTS by default. A writer posting on its request's path tries once: a
   * backoff there would hold the answer, and `broadcast` (with Lambda's own retries) takes over.
   */
  attempts?: number;
}

type Post = (connectionId: string, body: Uint8Array) => Promise<number>;

// One signer and HTTP handler per endpoint and container: built on first use (functions that never
// post do not load the SDK), then reused, so later posts reuse the signing key and warm sockets.
const posters = new Map<string, Promise<Post>>();

async function createPoster(endpoint: string): Promise<Post> {
  const { ApiGatewayManagementApiClient } = await import('@aws-sdk/client-apigatewaymanagementapi');
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  // The SDK builds its NodeHttpHandler from these options (no direct dependency on @smithy).
  const requestHandler = { httpAgent: new HttpAgent(agent), httpsAgent: new HttpsAgent(agent) };
  const { config } = new ApiGatewayManagementApiClient({ ...awsClientConfig(endpoint), requestHandler });
  const signer = await config.signer();
  const url = new URL(endpoint);
  const stagePath = url.pathname.replace(/\/+$/, '');
  return async (connectionId, body) => {
    const signed = await signer.sign({
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      method: 'POST',
      // Encoded as the SDK encodes the label; the signer encodes it once more for the canonical URI.
      path: `${stagePath}/@connections/${encodeURIComponent(connectionId)}`,
      query: {},
      headers: { host: url.host, 'content-type': 'application/octet-stream' },
      body,
    });
    const { response } = await config.requestHandler.handle(signed);
    // Read to its end (as the SDK does): only then is the keep-alive socket back in the agent.
    const answer = response.body as Readable | undefined;
    if (answer) await finished(answer.resume());
    return response.statusCode;
  };
}

function poster(endpoint: string): Promise<Post> {
  let found = posters.get(endpoint);
  if (!found) {
    found = createPoster(endpoint);
    // A failed setup (bad endpoint) is tried again on the next post.
    found.catch(() => posters.delete(endpoint));
    posters.set(endpoint, found);
  }
  return found;
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export function managementSender(
  endpoint = managementEndpoint(),
  { sleep = wait, attempts = MAX_ATTEMPTS }: SenderOptions = {},
): ConnectionSender {
  // One fan-out posts the same poke to every device: encoded once.
  let last: { data: string; bytes: Uint8Array } | undefined;
  const encode = (data: string) => {
    if (last?.data !== data) last = { data, bytes: new TextEncoder().encode(data) };
    return last.bytes;
  };
  return {
    async post(connectionId, data) {
      const post = await poster(endpoint);
      const body = encode(data);
      let failure: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) await sleep(retryDelayMs(attempt - 1));
        let status: number;
        try {
          status = await post(connectionId, body);
        } catch (err) {
          failure = err; // the socket failed (reset, refused, timed out): as the SDK, try again
          continue;
        }
        if (status >= 200 && status <= 299) return 'sent';
        if (status === 410) return 'gone';
        failure = new PostToConnectionError('Refused', `PostToConnection answered ${status}`, status);
        if (!RETRYABLE_STATUS.has(status)) throw failure;
      }
      throw new PostToConnectionError(
        'RetriesExhausted',
        `PostToConnection failed ${attempts} time${attempts === 1 ? '' : 's'}: ${String(failure)}`,
        failure instanceof PostToConnectionError ? failure.status : undefined,
        { cause: failure },
      );
    },
  };
}
