// What the server sends over the WebSocket: pokes (from `broadcast`), answers to the heartbeat (from
// `$default`), and "gone" when the server no longer knows the connection.
import * as v from 'valibot';
import { pokeSchema } from '../../../core/schemas.ts';

const versionSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

export const serverMessageSchema = v.variant('type', [
  pokeSchema,
  v.object({ type: v.literal('heartbeat'), version: versionSchema }),
  v.object({ type: v.literal('gone') }),
  v.object({ type: v.literal('error'), message: v.optional(v.string()) }),
]);
export type ServerMessage = v.InferOutput<typeof serverMessageSchema>;

export const HEARTBEAT_MESSAGE = JSON.stringify({ action: 'heartbeat' });

/** Unknown or malformed messages are ignored: a newer server may send more than this client knows. */
export function parseServerMessage(data: string): ServerMessage | undefined {
  try {
    const result = v.safeParse(serverMessageSchema, JSON.parse(data));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}

export const ticketResponseSchema = v.object({ ticket: v.pipe(v.string(), v.minLength(1)) });
