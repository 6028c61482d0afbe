// A server in a child process is killed with SIGKILL in the middle of concurrent writes, then
// restarted on the same directory: every acknowledged write is there and no transaction is half
// applied.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, '../../infra/local/mongo/cli.ts');
const children: ChildProcess[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startChild(dbPath: string): Promise<{ child: ChildProcess; uri: string }> {
  // A small compaction threshold makes compactions happen during the stream, so the kill can land
  // in the middle of one as well as in the middle of a journal write.
  const args = [
    '--import',
    'tsx',
    cli,
    '--port',
    '0',
    '--dbpath',
    dbPath,
    '--quiet',
    '--compact-bytes',
    '4000',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const uri = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`server exited early with ${code}`)));
  });
  return { child, uri };
}

interface Ledger {
  acked: Set<string>;
  attemptedPairs: string[];
  stop: boolean;
}

async function writer(client: MongoClient, worker: number, ledger: Ledger): Promise<void> {
  const coll = client.db('crash').collection('docs');
  const counters = client.db('crash').collection('counters');
  for (let i = 0; !ledger.stop; i++) {
    const id = `w${worker}-${i}`;
    try {
      if (i % 4 === 3) {
        ledger.attemptedPairs.push(id);
        const session = client.startSession();
        session.startTransaction();
        await coll.insertOne({ _id: `${id}-a`, pad: 'x'.repeat(100) } as never, { session });
        await coll.insertOne({ _id: `${id}-b` } as never, { session });
        await counters.updateOne(
          { _id: `c${worker}` as never },
          { $inc: { pairs: 1 } },
          { upsert: true, session },
        );
        await session.commitTransaction();
        await session.endSession();
      } else {
        await coll.insertOne({ _id: id, worker, i } as never);
      }
      ledger.acked.add(id);
    } catch {
      return;
    }
  }
}

describe('embedded mongo: crash recovery', () => {
  it('loses no acknowledged write when killed with SIGKILL mid-stream', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mongo-crash-'));
    const first = await startChild(dir);
    const client = new MongoClient(first.uri, {
      serverSelectionTimeoutMS: 500,
      maxPoolSize: 16,
      retryWrites: false,
    });
    await client.connect();
    const ledger: Ledger = { acked: new Set(), attemptedPairs: [], stop: false };
    const workers = Array.from({ length: 16 }, (_, worker) => writer(client, worker, ledger));
    await new Promise((done) => setTimeout(done, 1_500));
    first.child.kill('SIGKILL');
    ledger.stop = true;
    await Promise.all(workers);
    await client.close(true).catch(() => undefined);
    expect(ledger.acked.size).toBeGreaterThan(50);

    const second = await startChild(dir);
    const check = await new MongoClient(second.uri).connect();
    try {
      const ids = new Set(
        (
          await check
            .db('crash')
            .collection('docs')
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((doc) => String(doc._id)),
      );
      const missing = [...ledger.acked].filter((id) =>
        ledger.attemptedPairs.includes(id) ? !ids.has(`${id}-a`) : !ids.has(id),
      );
      expect(missing).toEqual([]);
      const halfApplied = ledger.attemptedPairs.filter((id) => ids.has(`${id}-a`) !== ids.has(`${id}-b`));
      expect(halfApplied).toEqual([]);
      const pairsPresent = ledger.attemptedPairs.filter((id) => ids.has(`${id}-a`)).length;
      const counters = await check.db('crash').collection('counters').find().toArray();
      expect(counters.reduce((sum, doc) => sum + Number(doc.pairs), 0)).toBe(pairsPresent);
    } finally {
      await check.close();
    }
  });
});
