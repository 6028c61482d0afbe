// Single-use tickets for opening the WebSocket: a browser cannot set headers on a WebSocket handshake
// and the socket's origin may not receive the cookie, so an authenticated HTTP call first obtains a
// short-lived ticket, passed as `?ticket=` on connect, and the `$connect` authorizer redeems it.
//
//   POST /api/sync/ws-ticket {deviceId?} ──► {ticket, expiresAt}      (hash stored, TTL 60 s)
//   wss://…?ticket=… ──► $connect authorizer ──► redeemWsTicket() ──► {userId, deviceId?} | null
//
// `deviceId` (optional) tells the socket which device it serves. The ticket endpoint refuses a device
// already bound to another user; a device not yet bound is recorded as claimed, and its binding is
// made by its first sync call (SyncState), which the socket does not bypass: pokes carry no data.
import type { Db } from 'mongodb';
import { wsTickets } from './collections.ts';
import { isLiveSession } from './sessions.ts';
import { hashToken, isWellFormedToken, newToken } from './tokens.ts';

export const WS_TICKET_TTL_MS = 60 * 1000;

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

export interface RedeemedTicket {
  userId: string;
  deviceId?: string;
  sessionId?: string;
}

export async function issueWsTicket(
  db: Db,
  userId: string,
  deviceId?: string,
  now = new Date(),
  sessionId?: string,
): Promise<IssuedTicket> {
  const ticket = newToken();
  const expiresAt = new Date(now.getTime() + WS_TICKET_TTL_MS);
  await wsTickets(db).insertOne({
    _id: hashToken(ticket),
    userId,
    expiresAt,
    ...(deviceId ? { deviceId } : {}),
    ...(sessionId ? { sessionId } : {}),
  });
  return { ticket, expiresAt };
}

/**
 * Redeems a ticket at most once: the delete is the check, so two concurrent connects with the same
 * ticket cannot both succeed. Unknown, malformed, used or expired tickets give null, and so does a
 * ticket whose session has ended since (revocation deletes its tickets, but one being issued at
 * that very moment would otherwise slip through).
 */
export async function redeemWsTicket(
  db: Db,
  ticket: string,
  now = new Date(),
): Promise<RedeemedTicket | null> {
  if (typeof ticket !== 'string' || !isWellFormedToken(ticket)) return null;
  const doc = await wsTickets(db).findOneAndDelete({ _id: hashToken(ticket) });
  if (!doc || doc.expiresAt.getTime() <= now.getTime()) return null;
  if (doc.sessionId && !(await isLiveSession(db, doc.sessionId, now))) return null;
  return {
    userId: doc.userId,
    ...(doc.deviceId ? { deviceId: doc.deviceId } : {}),
    ...(doc.sessionId ? { sessionId: doc.sessionId } : {}),
  };
}
