// A `mongosh --eval` round trip against the embedded server. mongosh is not a project dependency
// (430 packages, ~150 MB, six native node-gyp builds), so this runs when a mongosh binary is found
// through MONGOSH_BIN or on PATH, and is reported as skipped otherwise.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

const run = promisify(execFile);

function findMongosh(): string | undefined {
  if (process.env.MONGOSH_BIN) return process.env.MONGOSH_BIN;
  try {
    return execFileSync('which', ['mongosh'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo.stop();
});

describe('embedded mongo: mongosh', () => {
  it('connects with mongosh, inserts and finds', async (context) => {
    const mongosh = findMongosh();
    if (!mongosh) {
      context.skip('mongosh not installed (set MONGOSH_BIN to a mongosh binary to run this test)');
      return;
    }
    const script = [
      'const c = db.getSiblingDB("shell").items;',
      'c.insertOne({ _id: "from-shell", n: 1 });',
      'print(JSON.stringify(c.find({ n: { $gte: 1 } }).toArray()));',
    ].join(' ');
    const { stdout } = await run(mongosh, [mongo.uri, '--quiet', '--norc', '--eval', script], {
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
});
