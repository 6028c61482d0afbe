// POST /api/sync/ws-ticket {deviceId?} → {ticket, expiresAt}: a single-use, 60-second ticket for
// opening the WebSocket (`?ticket=`), redeemed by the `$connect` authorizer with redeemWsTicket().
// A device id already bound to another account is refused here (403), before any socket opens. The
// ticket, and the socket it opens, belong to the session that asked: revoking it closes the socket.
import { sessionTokensOf } from '../lib/auth/cookies.ts';
import { wsTicketBodySchema } from '../lib/auth/schemas.ts';
import { currentSessionId } from '../lib/auth/sessions.ts';
import { issueWsTicket } from '../lib/auth/ws-tickets.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { assertDeviceOwner } from '../lib/sync/devices.ts';

export const handler = defineHandler(
  { auth: 'session', body: wsTicketBodySchema },
  async ({ userId, body, cookies, headers }) => {
    const db = await getDb();
    if (body.deviceId) await assertDeviceOwner(db, userId, body.deviceId);
    const sessionId = await currentSessionId(db, sessionTokensOf({ cookies, headers }), userId);
    const { ticket, expiresAt } = await issueWsTicket(db, userId, body.deviceId, new Date(), sessionId);
    return { status: 200, body: { ticket, expiresAt: expiresAt.toISOString() } };
  },
);
