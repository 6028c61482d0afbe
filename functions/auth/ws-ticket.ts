// POST /api/sync/ws-ticket {deviceId?} → {ticket, expiresAt}: a single-use, 60-second ticket for
// opening the WebSocket (`?ticket=`), redeemed by the `$connect` authorizer with redeemWsTicket().
import { wsTicketBodySchema } from '../lib/auth/schemas.ts';
import { issueWsTicket } from '../lib/auth/ws-tickets.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler(
  { auth: 'session', body: wsTicketBodySchema },
  async ({ userId, body }) => {
    const { ticket, expiresAt } = await issueWsTicket(await getDb(), userId, body.deviceId);
    return { status: 200, body: { ticket, expiresAt: expiresAt.toISOString() } };
  },
);
