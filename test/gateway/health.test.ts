// GET /api/health through the gateway on the embedded database: 200, db "up".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMongoClient } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

let mongo: TestMongo;
let gateway: LocalGateway;

beforeAll(async () => {
  mongo = await startTestMongo();
  gateway = await createLocalGateway({ port: 0, env: { MONGODB_URI: mongo.uri } });
});

afterAll(async () => {
  await gateway?.close();
  await closeMongoClient();
  await mongo?.stop();
});

it('answers 200 with db "up" and the package version', async () => {
  const res = await fetch(`${gateway.url}/api/health`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await res.json()).toEqual({ ok: true, db: 'up', version: packageJson.version });
});

it('reports "down" once the database stops, without hanging', async () => {
  await mongo.stop();
  const res = await fetch(`${gateway.url}/api/health`);
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ ok: false, db: 'down' });
});
