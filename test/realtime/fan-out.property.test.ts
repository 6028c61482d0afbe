// broadcast's choice of connections, over random populations of users, devices and connections in
// the embedded MongoDB: every connection of the writing user except the source device's gets exactly
// one poke, nobody else gets any, and only gone connections (past the grace period) are deleted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../functions/lib/mongo.ts';
import type { ConnectionSender } from '../../functions/lib/realtime/connection-sender.ts';
import { type ConnectionDoc, connections } from '../../functions/lib/realtime/connections.ts';
import { fanOut, GONE_GRACE_MS } from '../../functions/lib/realtime/fan-out.ts';
import { useTestMongo } from '../support/mongo.ts';

useTestMongo();

const USERS = ['u1', 'u2', 'u3'];
const DEVICES = ['device_1700000000000_aaaa', 'device_1700000000000_bbbb', 'device_1700000000000_cccc'];

const connectionArb = fc.record({
  userId: fc.constantFrom(...USERS),
  deviceId: fc.option(fc.constantFrom(...DEVICES), { nil: undefined }),
  gone: fc.boolean(),
  ageMs: fc.constantFrom(0, GONE_GRACE_MS * 2),
});

describe('fanOut', () => {
  it("pokes exactly the writer's other connections and deletes only the old gone ones", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(
        fc.array(connectionArb, { maxLength: 12 }),
        fc.constantFrom(...USERS),
        fc.constantFrom(...DEVICES),
        fc.boolean(),
        async (population, userId, sourceDeviceId, handed) => {
          await connections(db).deleteMany({});
          const now = Date.now();
          const docs: Array<ConnectionDoc & { gone: boolean }> = population.map((c, i) => ({
            _id: `c${i}=`,
            userId: c.userId,
            ...(c.deviceId ? { deviceId: c.deviceId } : {}),
            connectedAt: new Date(now - c.ageMs),
            gone: c.gone,
          }));
          if (docs.length) await connections(db).insertMany(docs.map(({ gone: _, ...doc }) => doc));
          const posted: string[] = [];
          const sender: ConnectionSender = {
            async post(id, data) {
              posted.push(id);
              expect(JSON.parse(data)).toEqual({ type: 'poke', version: 7, collections: ['tasks'] });
              return docs.find((d) => d._id === id)?.gone ? 'gone' : 'sent';
            },
          };
          const targets = docs.filter((d) => d.userId === userId && d.deviceId !== sourceDeviceId);
          // As the writer hands them over (it read them to decide whether to invoke), or not.
          const write = { userId, version: 7, sourceDeviceId, collections: ['tasks' as const] };
          await fanOut(db, sender, handed ? { ...write, targets: targets.map((d) => d._id) } : write);
          expect(posted.sort()).toEqual(targets.map((d) => d._id).sort());
          const left = (await connections(db).find().toArray()).map((d) => d._id).sort();
          const dropped = new Set(
            targets.filter((d) => d.gone && now - d.connectedAt.getTime() >= GONE_GRACE_MS).map((d) => d._id),
          );
          expect(left).toEqual(
            docs
              .map((d) => d._id)
              .filter((id) => !dropped.has(id))
              .sort(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('posts to the connections it is handed without reading them', async () => {
    const db = await getDb();
    await connections(db).deleteMany({});
    await connections(db).insertOne({ _id: 'stored', userId: 'u1', connectedAt: new Date() });
    const posted: string[] = [];
    const sender: ConnectionSender = {
      async post(id) {
        posted.push(id);
        return 'sent';
      },
    };
    const write = {
      userId: 'u1',
      version: 3,
      sourceDeviceId: DEVICES[0] ?? '',
      collections: ['tasks' as const],
    };
    const result = await fanOut(db, sender, { ...write, targets: ['handed-1', 'handed-2'] });
    expect(posted.sort()).toEqual(['handed-1', 'handed-2']);
    expect(result).toEqual({ sent: 2, gone: 0, failed: 0, failedIds: [] });
  });
});
