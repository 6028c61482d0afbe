// What the WebSocket handlers read from API Gateway's events, validated: the connection id always;
// on `$connect` (and, on AWS, every later route) the `$connect` authorizer's context, flattened into
// `requestContext.authorizer` next to `principalId`.
import * as v from 'valibot';
import { collectionsSchema, deviceIdSchema, streamedChangesSchema } from '../../../core/schemas.ts';

/** What ws-authorizer puts in its context: strings only, as API Gateway requires. */
export interface WebSocketAuthorizerContext {
  userId: string;
  /** "" when the ticket named no device. */
  deviceId: string;
  /** The session that asked for the ticket ("" for none). */
  sessionId: string;
}

export const webSocketEventSchema = v.object({
  requestContext: v.object({
    connectionId: v.pipe(v.string(), v.minLength(1)),
    routeKey: v.optional(v.string()),
    authorizer: v.optional(
      v.nullable(
        v.object({
          userId: v.optional(v.string()),
          deviceId: v.optional(v.string()),
          sessionId: v.optional(v.string()),
        }),
      ),
    ),
  }),
  body: v.optional(v.nullable(v.string())),
});
export type WebSocketEvent = v.InferOutput<typeof webSocketEventSchema>;

export interface WebSocketResult {
  statusCode: number;
  body?: string;
}

/** The client's heartbeat, `{"action":"heartbeat"}` (API Gateway's default route selection key). */
export const heartbeatRequestSchema = v.object({ action: v.literal('heartbeat') });

/** `$default`'s answer to a heartbeat: the user's current version, so the client pulls only when behind. */
export const heartbeatAnswerSchema = v.object({
  type: v.literal('heartbeat'),
  version: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type HeartbeatAnswer = v.InferOutput<typeof heartbeatAnswerSchema>;

/** More connections than this are not handed over: `broadcast` reads them itself. */
export const MAX_HANDED_TARGETS = 64;

/**
 * The event `broadcast` is invoked with: the after-commit hook's CommittedWrite and, when the writer
 * has read them already (to know whether anyone is listening), the connections to poke, so that the
 * fan-out does not read them again. Without `targets` (a writer from before them, too many) it reads
 * them itself.
 */
export const broadcastEventSchema = v.object({
  userId: v.pipe(v.string(), v.minLength(1)),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  sourceDeviceId: deviceIdSchema,
  collections: collectionsSchema,
  stream: v.optional(streamedChangesSchema),
  targets: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))), v.maxLength(MAX_HANDED_TARGETS)),
  ),
});
export type BroadcastEvent = v.InferOutput<typeof broadcastEventSchema>;

export function parseWebSocketEvent(event: unknown): WebSocketEvent {
  return v.parse(webSocketEventSchema, event);
}
