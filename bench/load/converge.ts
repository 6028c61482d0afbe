// The end of a load run: every device has pushed everything and pulled up to its user's version;
// then each mutation must have been applied exactly once and both devices of a user must hold exactly
// what the server holds.
import { MongoClient } from 'mongodb';
import { mutationIdsCollection } from '../../functions/lib/sync/collections.ts';
import { liveState } from '../../test/chaos/lib/invariants.ts';
import type { LoadDevice, LoadUser } from './device.ts';
import { drain } from './drive.ts';

export interface Convergence {
  /** Devices whose records differ from their user's on the server. */
  divergent: number;
  /** Mutations missing on the server: records a user's devices wrote, and ids it never counted. */
  lost: number;
  /** Mutation ids answered `applied` more than once. */
  doubled: number;
  /** Devices still busy when the check began (their queue did not empty in time). */
  unsettled: number;
}

const DAYS_BACK = 9_000;

/** A few tries: a keep-alive socket the server closed while idle fails the first request on it. */
async function fullPull(user: LoadUser) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const reply = await user.client.send('GET', '/api/sync/pull?since=0');
      if (reply.status === 200 || attempt === 3) return reply;
    } catch (err) {
      if (attempt === 3) throw err;
    }
    await new Promise((done) => setTimeout(done, 500 * attempt));
  }
}

async function serverState(user: LoadUser) {
  const reply = await fullPull(user);
  if (reply.status !== 200) throw new Error(`full pull answered ${reply.status}`);
  const { version, changes } = reply.json as { version: number; changes: Record<string, unknown[]> };
  const list = Object.entries(changes).flatMap(([collection, records]) =>
    records.map((record) => ({ collection, record })),
  );
  return { version, state: liveState(list) };
}

const same = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

async function checkUser(user: LoadUser, devices: readonly LoadDevice[]) {
  const server = await serverState(user);
  await Promise.all(devices.map((d) => d.catchUp(server.version)));
  const divergent = devices.filter((d) => !same(d.state, server.state)).length;
  const weights = [...server.state.keys()].filter((k) => k.startsWith('weights/')).length;
  return { divergent, lost: Math.max(0, Math.min(user.written, DAYS_BACK) - weights) };
}

export async function checkConvergence(
  devices: readonly LoadDevice[],
  mongoUri: string,
  dbName: string,
): Promise<Convergence> {
  await drain(devices, 60_000);
  const unsettled = devices.filter((d) => d.busy()).length;
  const byUser = new Map<LoadUser, LoadDevice[]>();
  for (const d of devices) byUser.set(d.user, [...(byUser.get(d.user) ?? []), d]);
  const result: Convergence = { divergent: 0, lost: 0, doubled: 0, unsettled };
  const users = [...byUser];
  for (let i = 0; i < users.length; i += 20) {
    const checks = await Promise.all(users.slice(i, i + 20).map(([u, ds]) => checkUser(u, ds)));
    for (const c of checks) {
      result.divergent += c.divergent;
      result.lost += c.lost;
    }
  }
  const client = await new MongoClient(mongoUri).connect();
  try {
    const counters = await mutationIdsCollection(client.db(dbName)).find({}).toArray();
    const last = new Map(counters.map((c) => [c._id, c.lastMutationId]));
    for (const d of devices) {
      result.lost += Math.max(0, d.lastId() - (last.get(d.deviceId) ?? 0));
      result.doubled += [...d.applied.values()].filter((n) => n > 1).length;
    }
  } finally {
    await client.close();
  }
  return result;
}
