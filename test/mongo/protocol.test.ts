// Wire-level behaviour: the legacy handshake, moreToCome (no reply at all), bad input closing only
// the offending connection, and documents near the 16 MB limit.
import { connect, type Socket } from 'node:net';
import { type Document, deserialize, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient();

function header(length: number, requestId: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(opCode, 12);
  return head;
}

function opMsg(requestId: number, body: Document, flags = 0): Buffer {
  const bson = Buffer.from(serialize(body));
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  return Buffer.concat([header(16 + 5 + bson.length, requestId, 2013), prefix, bson]);
}

function opQuery(requestId: number, collection: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const name = Buffer.from(`${collection}\0`);
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const bson = Buffer.from(serialize(query));
  const length = 16 + 4 + name.length + 8 + bson.length;
  return Buffer.concat([header(length, requestId, 2004), flags, name, skipReturn, bson]);
}

interface Reply {
  responseTo: number;
  opCode: number;
  body: Document;
}

function open(): Promise<{ socket: Socket; replies: Reply[]; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(mongo.port, '127.0.0.1');
    const replies: Reply[] = [];
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const message = pending.subarray(0, pending.readInt32LE(0));
        pending = pending.subarray(message.length);
        const opCode = message.readInt32LE(12);
        const bodyStart = opCode === 1 ? 36 : 21;
        replies.push({
          responseTo: message.readInt32LE(8),
          opCode,
          body: deserialize(message.subarray(bodyStart)),
        });
      }
    });
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => undefined);
    socket.on('connect', () => resolve({ socket, replies, closed }));
  });
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('embedded mongo: wire protocol', () => {
  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY as a replica-set primary', async () => {
    const { socket, replies } = await open();
    socket.write(opQuery(7, 'admin.$cmd', { isMaster: 1, client: { driver: { name: 'raw' } } }));
    await until(() => replies.length === 1);
    expect(replies[0]).toMatchObject({
      responseTo: 7,
      opCode: 1,
      body: { ok: 1, ismaster: true, setName: 'rs0' },
    });
    expect(replies[0]?.body.topologyVersion).toBeUndefined();
    socket.destroy();
  });

  it('sends no reply to a moreToCome message, so the next reply answers the next command', async () => {
    const { socket, replies } = await open();
    const insert = { insert: 'quiet', documents: [{ _id: 1 }], writeConcern: { w: 0 }, $db: 'proto' };
    socket.write(opMsg(1, insert, 2));
    socket.write(opMsg(2, { endSessions: [], $db: 'admin' }, 2));
    socket.write(opMsg(3, { find: 'quiet', filter: {}, $db: 'proto' }));
    await until(() => replies.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(replies.map((reply) => reply.responseTo)).toEqual([3]);
    expect(replies[0]?.body.cursor.firstBatch).toEqual([{ _id: 1 }]);
    socket.destroy();
  });

  it('closes only the connection that sends an oversized or malformed message', async () => {
    const oversized = await open();
    oversized.socket.write(header(49_000_000, 1, 2013));
    await oversized.closed;
    const malformed = await open();
    const garbage = Buffer.concat([
      header(16 + 5 + 8, 1, 2013),
      Buffer.alloc(5),
      Buffer.from([50, 0, 0, 0, 1, 2, 3, 4]),
    ]);
    malformed.socket.write(garbage);
    await malformed.closed;
    expect(await mongo.client.db('proto').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('stores and returns documents near the 16 MB limit', async () => {
    const coll = mongo.client.db('proto').collection('big');
    const big = 'x'.repeat(16 * 1024 * 1024 - 200);
    await coll.insertOne({ _id: 'big', big } as never);
    await coll.insertOne({ _id: 'big2', big } as never);
    const found = await coll.find({}).toArray();
    expect(found.map((doc) => [doc._id, doc.big.length])).toEqual([
      ['big', big.length],
      ['big2', big.length],
    ]);
  });

  it('accepts unacknowledged (w:0) writes through the driver without disturbing later replies', async () => {
    const coll = mongo.client.db('proto').collection('w0');
    for (let i = 0; i < 20; i++) await coll.insertOne({ i }, { writeConcern: { w: 0 } });
    const deadline = Date.now() + 3_000;
    while ((await coll.countDocuments()) < 20 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await coll.countDocuments()).toBe(20);
  });
});
