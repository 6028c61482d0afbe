// serverStatus `connections`, as MongoDB shapes it: what the container benchmark reads to count the
// connections a gateway's functions hold open.
import { connect, type Socket } from 'node:net';
import { type Document, MongoClient } from 'mongodb';
import { describe, expect, it, vi } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient();

interface Connections {
  current: number;
  available: number;
  totalCreated: number;
  active: number;
}

const connections = async () =>
  ((await mongo.client.db('admin').command({ serverStatus: 1 })) as Document).connections as Connections;

function openSocket(): Promise<Socket> {
  const { hostname, port } = new URL(mongo.uri.replace(/^mongodb:/, 'http:'));
  return new Promise((done, fail) => {
    const socket = connect(Number(port), hostname, () => done(socket));
    socket.once('error', fail);
  });
}

describe('embedded mongo: serverStatus connections', () => {
  it('counts open, created and active connections, with what remains available', async () => {
    const before = await connections();
    expect(before.current).toBeGreaterThanOrEqual(1);
    // The connection running serverStatus has a command in progress.
    expect(before.active).toBeGreaterThanOrEqual(1);
    expect(before.totalCreated).toBeGreaterThanOrEqual(before.current);
    expect(before.available).toBe(65_536 - before.current);

    const idle = await Promise.all([openSocket(), openSocket(), openSocket()]);
    await vi.waitFor(async () => expect((await connections()).current).toBe(before.current + 3));
    const open = await connections();
    expect(open.totalCreated).toBe(before.totalCreated + 3);
    expect(open.available).toBe(before.available - 3);
    // Connected but silent: open, not active.
    expect(open.active).toBe(before.active);

    for (const socket of idle) socket.destroy();
    await vi.waitFor(async () => expect((await connections()).current).toBe(before.current));
    expect((await connections()).totalCreated).toBe(before.totalCreated + 3);
  });

  it('counts each client’s pool and monitor connections until the client closes', async () => {
    const before = await connections();
    const other = await new MongoClient(mongo.uri).connect();
    await other.db('x').command({ ping: 1 });
    expect((await connections()).current).toBeGreaterThan(before.current);
    await other.close();
    await vi.waitFor(async () => expect((await connections()).current).toBe(before.current));
  });
});
