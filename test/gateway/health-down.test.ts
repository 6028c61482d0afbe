// GET /api/health through the gateway while the database is unreachable: 503, db "down".
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMongoClient } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import packageJson from '../../package.json' with { type: 'json' };

let gateway: LocalGateway;

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

beforeAll(async () => {
  const port = await closedPort();
  gateway = await createLocalGateway({
    port: 0,
    env: { MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true` },
  });
});

afterAll(async () => {
  await gateway?.close();
  await closeMongoClient();
});

it('answers 503 with db "down" and keeps answering', async () => {
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${gateway.url}/api/health`);
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ ok: false, db: 'down', version: packageJson.version });
  }
});
