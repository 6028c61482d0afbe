// What `broadcast` does with one committed write:
//
//   connections of userId, minus sourceDeviceId's ──► post {type:"poke", version, collections, stream?}
//                                                      to each (in parallel)
//                                                 410 ─► delete that connection
//
// A post that fails otherwise is logged and skipped: the device's heartbeat or its polling catches
// up, and one bad connection must not keep the others from their pokes.
import type { Db } from 'mongodb';
import type { Poke } from '../../../core/schemas.ts';
import type { ConnectionSender } from './connection-sender.ts';
import { pokeTargets, removeGone } from './connections.ts';
import type { BroadcastEvent } from './websocket-event.ts';

/** See removeGone: a post to a connection still inside its `$connect` is refused too. */
export const GONE_GRACE_MS = 10_000;

export interface FanOutResult {
  sent: number;
  gone: number;
  failed: number;
  /** The connections whose post failed (neither sent nor gone): a writer hands them to `broadcast`. */
  failedIds: string[];
}

export async function fanOut(db: Db, sender: ConnectionSender, write: BroadcastEvent): Promise<FanOutResult> {
  const targets = write.targets ?? (await pokeTargets(db, write.userId, write.sourceDeviceId));
  const poke: Poke = { type: 'poke', version: write.version, collections: write.collections };
  if (write.stream) poke.stream = write.stream;
  const data = JSON.stringify(poke);
  const outcomes = await Promise.all(
    targets.map((id) =>
      sender.post(id, data).catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'warn', msg: 'poke failed', connectionId: id, error: String(err) }),
        );
        return 'failed' as const;
      }),
    ),
  );
  const goneIds = targets.filter((_, i) => outcomes[i] === 'gone');
  await removeGone(db, goneIds, GONE_GRACE_MS);
  const failedIds = targets.filter((_, i) => outcomes[i] === 'failed');
  return {
    sent: outcomes.filter((o) => o === 'sent').length,
    gone: goneIds.length,
    failed: failedIds.length,
    failedIds,
  };
}
