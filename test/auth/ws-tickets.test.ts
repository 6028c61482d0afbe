import { describe, expect, it } from 'vitest';
import { newDeviceId } from '../../core/ids.ts';
import { sessions, wsTickets } from '../../functions/lib/auth/collections.ts';
import { hashToken } from '../../functions/lib/auth/tokens.ts';
import { issueWsTicket, redeemWsTicket, WS_TICKET_TTL_MS } from '../../functions/lib/auth/ws-tickets.ts';
import { useTestMongo } from '../support/mongo.ts';
import { directCaller } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';
import { createTestUser, tamper } from './harness/users.ts';

const t = useTestMongo();

const ticketRoute = routeNamed('sync-ws-ticket');
const DEVICE = newDeviceId();
const OWNED_DEVICE = newDeviceId();

interface TicketBody {
  ticket: string;
  expiresAt: string;
}

describe('POST /api/sync/ws-ticket', () => {
  it('issues a 60-second ticket stored only as a hash, carrying the device id', async () => {
    const user = await createTestUser(t.db);
    const before = Date.now();
    const res = await directCaller(ticketRoute, {
      cookies: [user.cookie],
      body: { deviceId: DEVICE },
    });
    expect(res.status).toBe(200);
    const { ticket, expiresAt } = res.body as TicketBody;
    expect(ticket).toMatch(/^[\w-]{43}$/);
    const expiry = Date.parse(expiresAt);
    expect(expiry).toBeGreaterThanOrEqual(before + WS_TICKET_TTL_MS);
    expect(expiry).toBeLessThanOrEqual(Date.now() + WS_TICKET_TTL_MS);
    expect(await wsTickets(t.db).findOne({ _id: ticket })).toBeNull();
    const sessionId = hashToken(user.token);
    expect(await wsTickets(t.db).findOne({ _id: hashToken(ticket) })).toMatchObject({
      userId: user.userId,
      deviceId: DEVICE,
      sessionId,
    });
    expect(await redeemWsTicket(t.db, ticket)).toEqual({ userId: user.userId, deviceId: DEVICE, sessionId });
  });

  it('works without a device id', async () => {
    const user = await createTestUser(t.db);
    const res = await directCaller(ticketRoute, { cookies: [user.cookie], body: {} });
    expect(res.status).toBe(200);
    expect(await redeemWsTicket(t.db, (res.body as TicketBody).ticket)).toEqual({
      userId: user.userId,
      sessionId: hashToken(user.token),
    });
  });

  it('opens nothing once the session that asked for it has ended', async () => {
    const user = await createTestUser(t.db);
    const res = await directCaller(ticketRoute, { cookies: [user.cookie], body: {} });
    expect(res.status).toBe(200);
    // As if a revocation had swept the tickets just before this one was stored.
    await sessions(t.db).deleteOne({ _id: hashToken(user.token) });
    expect(await redeemWsTicket(t.db, (res.body as TicketBody).ticket)).toBeNull();
  });

  it('refuses a malformed device id (400)', async () => {
    const user = await createTestUser(t.db);
    const res = await directCaller(ticketRoute, {
      cookies: [user.cookie],
      body: { deviceId: 'no spaces/please' },
    });
    expect(res.status).toBe(400);
  });

  it('refuses a device id bound to another account (403)', async () => {
    const owner = await createTestUser(t.db);
    const intruder = await createTestUser(t.db);
    const bind = await directCaller(routeNamed('sync-check-update'), {
      cookies: [owner.cookie],
      query: { deviceId: OWNED_DEVICE },
    });
    expect(bind.status).toBe(200);
    const res = await directCaller(ticketRoute, {
      cookies: [intruder.cookie],
      body: { deviceId: OWNED_DEVICE },
    });
    expect(res.status).toBe(403);
    const mine = await directCaller(ticketRoute, {
      cookies: [owner.cookie],
      body: { deviceId: OWNED_DEVICE },
    });
    expect(mine.status).toBe(200);
  });
});

describe('redeemWsTicket', () => {
  it('redeems a ticket once: a second use is refused', async () => {
    const { ticket } = await issueWsTicket(t.db, 'user-1');
    expect(await redeemWsTicket(t.db, ticket)).toEqual({ userId: 'user-1' });
    expect(await redeemWsTicket(t.db, ticket)).toBeNull();
  });

  it('lets exactly one of many concurrent connects redeem the same ticket', async () => {
    const { ticket } = await issueWsTicket(t.db, 'user-2', 'device_1700000000000_two2');
    const results = await Promise.all(Array.from({ length: 8 }, () => redeemWsTicket(t.db, ticket)));
    expect(results.filter((r) => r !== null)).toEqual([
      { userId: 'user-2', deviceId: 'device_1700000000000_two2' },
    ]);
  });

  it('refuses an expired ticket (and consumes it)', async () => {
    const issuedAt = new Date();
    const { ticket } = await issueWsTicket(t.db, 'user-3', undefined, issuedAt);
    const late = new Date(issuedAt.getTime() + WS_TICKET_TTL_MS + 1);
    expect(await redeemWsTicket(t.db, ticket, late)).toBeNull();
    expect(await redeemWsTicket(t.db, ticket, issuedAt)).toBeNull();
  });

  it.each([
    ['a tampered ticket', (ticket: string) => tamper(ticket)],
    ['a truncated ticket', (ticket: string) => ticket.slice(1)],
    ['an empty string', () => ''],
    ['the stored hash itself', (ticket: string) => hashToken(ticket)],
  ])('refuses %s and leaves the real ticket usable', async (_name, forge) => {
    const { ticket } = await issueWsTicket(t.db, 'user-4');
    expect(await redeemWsTicket(t.db, forge(ticket))).toBeNull();
    expect(await redeemWsTicket(t.db, ticket)).toEqual({ userId: 'user-4' });
  });

  it('keeps a TTL index so unused tickets disappear', async () => {
    const indexes = await wsTickets(t.db).indexes();
    expect(indexes.find((i) => i.key.expiresAt === 1)?.expireAfterSeconds).toBe(0);
  });
});
