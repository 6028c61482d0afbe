// Ending sessions, and everything they opened. The HTTP authorizer reads `sessions` on every request
// (infra/authorizer-cache.ts: no cache), so deleting a session refuses its cookie on the next
// request; its unredeemed WebSocket tickets are deleted with it (and redeeming checks the session as
// well); its open sockets are closed through the Management API at once.
//
//   scope 'session' (sign-out)             one session
//   scope 'others'  (password change)      every session of the user but the current one
//   scope 'all'     (sign out everywhere)  every session of the user
import type { Db } from 'mongodb';
import { type ConnectionCloser, managementCloser } from '../realtime/connection-closer.ts';
import { connections } from '../realtime/connections.ts';
import { sessions, wsTickets } from './collections.ts';

export type RevocationScope =
  | { kind: 'session'; sessionId: string }
  | { kind: 'others'; sessionId: string | undefined }
  | { kind: 'all' };

function sessionCondition(scope: RevocationScope): { $eq: string } | { $ne: string } | undefined {
  if (scope.kind === 'session') return { $eq: scope.sessionId };
  if (scope.kind === 'others' && scope.sessionId) return { $ne: scope.sessionId };
  return undefined;
}

export async function revokeSessions(
  db: Db,
  userId: string,
  scope: RevocationScope,
  closer: ConnectionCloser = managementCloser(),
): Promise<void> {
  const condition = sessionCondition(scope);
  // Sessions first: once they are gone, nothing below can be undone by a request they authorized.
  await sessions(db).deleteMany({ userId, ...(condition ? { _id: condition } : {}) });
  // Tickets and connections from before sessions were recorded on them have no sessionId: `$ne`
  // matches them, `$eq` does not (they only close on 'others' and 'all').
  const bySession = condition ? { sessionId: condition } : {};
  await wsTickets(db).deleteMany({ userId, ...bySession });
  await closeConnections(db, { userId, ...bySession }, closer);
}

/**
 * Forgets the matching connections, then closes their sockets. A socket whose close fails (the
 * Management API unreachable) carries nothing without its document: pokes are not sent to it and
 * its next heartbeat answers "gone", so the client reconnects, which needs a live session.
 */
export async function closeConnections(
  db: Db,
  filter: { userId: string; sessionId?: { $eq: string } | { $ne: string } },
  closer: ConnectionCloser,
): Promise<void> {
  const ids = (
    await connections(db)
      .find(filter, { projection: { _id: 1 } })
      .toArray()
  ).map((c) => c._id);
  if (ids.length === 0) return;
  await connections(db).deleteMany({ _id: { $in: ids } });
  const results = await Promise.allSettled(ids.map((id) => closer.close(id)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed > 0) {
    console.error(JSON.stringify({ level: 'error', event: 'close-connections', failed, of: ids.length }));
  }
}
