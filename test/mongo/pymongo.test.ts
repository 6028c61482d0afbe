// A second driver keeps the server honest about types: Debian's python3-pymongo writes every BSON
// type and reads it back after update operators and after a restart, comparing type and value.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer } from '../../infra/local/mongo/index.ts';
import { ensurePymongo, SYSTEM_PYTHON } from './support/ensure-pymongo.ts';

const script = resolve(import.meta.dirname, 'support/bson-types.py');
const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  ensurePymongo();
  dir = await mkdtemp(join(tmpdir(), 'mongo-pymongo-'));
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Report {
  expected: Record<string, unknown>;
  stored: Record<string, unknown>;
  ops: Record<string, unknown>;
}

async function pymongo(mode: 'write' | 'read'): Promise<Report> {
  const server = await startMongoServer({ port: 0, dbPath: dir });
  try {
    const { stdout } = await run(SYSTEM_PYTHON, [script, server.uri, mode], { timeout: 20_000 });
    return JSON.parse(stdout) as Report;
  } finally {
    await server.stop();
  }
}

const AFTER_OPS = {
  _id: ['int32', '2'],
  l: ['int64', String(2 ** 40 + 1)],
  small: ['int64', '5'],
  d: ['double', '6.0'],
  i: ['int64', '2147483648'],
};

describe('embedded mongo through python3-pymongo', () => {
  it('round-trips every BSON type, through update operators and a restart', async () => {
    const written = await pymongo('write');
    expect(written.stored).toEqual(written.expected);
    expect(written.ops).toEqual(AFTER_OPS);
    const reread = await pymongo('read');
    expect(reread.stored).toEqual(reread.expected);
    expect(reread.ops).toEqual(AFTER_OPS);
  });
});
