// The deletion check around a write (functions/lib/auth/account-guard.ts): what must follow the write
// (the fan-out) runs beside the check, not after it, and a deleted account still answers 401 and is
// erased whatever that follow-up does.
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileAccountExists } from '../../functions/lib/auth/account-guard.ts';
import { deletedAccounts } from '../../functions/lib/auth/collections.ts';
import { isHttpError } from '../../functions/lib/errors.ts';
import { useTestMongo } from '../support/mongo.ts';

const mongo = useTestMongo();
let client: MongoClient;
let db: Db;
const started: string[] = [];

beforeAll(async () => {
  client = new MongoClient(mongo.uri, { monitorCommands: true });
  client.on('commandStarted', (event) => {
    const target = (event.command as Record<string, unknown>)[event.commandName];
    started.push(`${event.commandName} ${typeof target === 'string' ? target : ''}`);
  });
  await client.connect();
  db = client.db(mongo.db.databaseName);
});
afterAll(() => client.close());

/** Resolves once the deletion check has been sent to the server; rejects if it never is. */
async function checkSent(): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    if (started.includes('find deletedAccounts')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the deletion check was not sent while the follow-up ran');
}

describe('whileAccountExists', () => {
  it('runs the follow-up beside the deletion check, with the write’s result', async () => {
    started.length = 0;
    const seen: string[] = [];
    const result = await whileAccountExists(
      db,
      'user-alive',
      async () => 'written',
      async (written) => {
        seen.push(written);
        await checkSent();
      },
    );
    expect(result).toBe('written');
    expect(seen).toEqual(['written']);
  });

  it('answers 401 for a deleted account even when the follow-up fails', async () => {
    await deletedAccounts(db).updateOne(
      { _id: 'user-gone' },
      { $set: { expiresAt: new Date(Date.now() + 60_000) } },
      { upsert: true },
    );
    const answer = await whileAccountExists(
      db,
      'user-gone',
      async () => 'written',
      async () => {
        throw new Error('fan-out down');
      },
    ).catch((err: unknown) => err);
    expect(isHttpError(answer) && answer.code).toBe('Unauthorized');
  });

  it('lets the follow-up’s own failure through when the account exists', async () => {
    const answer = whileAccountExists(
      db,
      'user-alive',
      async () => 'written',
      async () => {
        throw new Error('flag write failed');
      },
    );
    await expect(answer).rejects.toThrow('flag write failed');
  });
});
