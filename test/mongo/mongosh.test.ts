// A `mongosh --eval` round trip against the embedded server: the real MongoDB shell (a dev
// dependency; its optional native add-ons are not needed for this) connects, writes and reads.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/mongo.ts';

const run = promisify(execFile);
const MONGOSH =
  process.env.MONGOSH_BIN ?? fileURLToPath(new URL('../../node_modules/.bin/mongosh', import.meta.url));

const mongo = useTestServer();

describe('embedded mongo: mongosh', () => {
  it('connects with mongosh, inserts and finds', async () => {
    const script = [
      'const c = db.getSiblingDB("shell").items;',
      'c.insertOne({ _id: "from-shell", n: 1 });',
      'print(JSON.stringify(c.find({ n: { $gte: 1 } }).toArray()));',
    ].join(' ');
    const { stdout } = await run(MONGOSH, [mongo.uri, '--quiet', '--norc', '--eval', script], {
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual([{ _id: 'from-shell', n: 1 }]);
    const client = await new MongoClient(mongo.uri).connect();
    try {
      expect(await client.db('shell').collection('items').findOne()).toEqual({ _id: 'from-shell', n: 1 });
    } finally {
      await client.close();
    }
  }, 90_000);

  it("runs the shell's .explain() on a find", async () => {
    const script = [
      'const c = db.getSiblingDB("shellx").items;',
      'c.createIndex({ n: 1 });',
      'c.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);',
      'const e = c.find({ n: { $gte: 2 } }).explain("executionStats");',
      'print(JSON.stringify({ plan: e.queryPlanner.winningPlan, n: e.executionStats.nReturned }));',
    ].join(' ');
    const { stdout } = await run(MONGOSH, [mongo.uri, '--quiet', '--norc', '--eval', script], {
      timeout: 60_000,
    });
    const explained = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    expect(explained.n).toBe(2);
    expect(explained.plan).toMatchObject({
      stage: 'FETCH',
      inputStage: { stage: 'IXSCAN', indexName: 'n_1', indexBounds: { n: ['[2, inf.0]'] } },
    });
  }, 90_000);
});
