// `npm run invoke` against the real local gateway (embedded MongoDB, real handlers), through the
// real @aws-sdk/client-lambda: by name, as an HTTP event, a mutation and its replay, and the cloud
// path (physical names from an outputs file) pointed at the gateway's Invoke API.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, utcDateOf } from '../../core/dates.ts';
import { formatHlc } from '../../core/hlc.ts';
import { newId } from '../../core/ids.ts';
import { closeMongoClient } from '../../functions/lib/mongo.ts';
import { EXIT, runInvoke } from '../../infra/invoke/cli.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { localCredentialsFor } from '../../infra/local/local-credentials.ts';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

const PHYSICAL_HEALTH = 'RoutineSync-HealthFnC41024A5-AbCdEf123456';

let mongo: TestMongo;
let gateway: LocalGateway;
// Where `npm start` would keep the local credentials the CLI signs with.
const dataDir = mkdtempSync(join(tmpdir(), 'invoke-local-'));

beforeAll(async () => {
  mongo = await startTestMongo();
  gateway = await createLocalGateway({
    port: 0,
    credentials: await localCredentialsFor(dataDir),
    env: { MONGODB_URI: mongo.uri },
    // What AWS would call the health function, for the cloud-mode test below.
    functions: [{ name: PHYSICAL_HEALTH, entry: 'functions/health.ts', timeoutSeconds: 10 }],
  });
});

afterAll(async () => {
  await gateway?.close();
  await closeMongoClient();
  await mongo?.stop();
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runInvoke(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { ...process.env, DATA_DIR: dataDir },
  });
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}

describe('npm run invoke -- <function> --local', () => {
  it('invokes health by name with the event of its route', async () => {
    const res = await cli('health', '--local', gateway.url);
    expect(res.err).toContain('HTTP 200');
    expect(res.json).toMatchObject({ ok: true, db: 'up' });
    expect(res.code).toBe(EXIT.ok);
  });

  it('applies a mutation from the --http short form, and acknowledges its replay without re-applying', async () => {
    const userId = `invoke-user-${newId()}`;
    const deviceId = `device_${Date.now()}_invoke`;
    const today = utcDateOf(Date.now());
    const task = {
      id: newId(),
      title: 'Stretch',
      points: 5,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      createdOn: addDays(today, -1),
      order: 0,
    };
    const hlc = formatHlc({ wallMs: Date.now(), counter: 1, deviceId });
    const mutation = [
      'tasks-create',
      JSON.stringify(task),
      '--local',
      gateway.url,
      '--http',
      'POST /api/tasks',
      '--user',
      userId,
      '--header',
      `x-device-id: ${deviceId}`,
      '--header',
      'x-mutation-id: 1',
      '--header',
      `x-hlc: ${hlc}`,
    ];
    const first = await cli(...mutation);
    expect(first.json, first.err).toEqual({ version: 1, status: 'applied' });
    expect(first.code).toBe(EXIT.ok);
    expect((await cli(...mutation)).json).toEqual({ version: 1, status: 'duplicate' });

    const pull = await cli('--http', 'GET /api/sync/pull?since=0', '--local', gateway.url, '--user', userId);
    expect(pull.code).toBe(EXIT.ok);
    expect(pull.json).toMatchObject({
      version: 1,
      changes: { tasks: [expect.objectContaining({ id: task.id, title: 'Stretch' })] },
    });
  });

  it('exits 1 with the 401 of a session route invoked without --user, and says what is missing', async () => {
    const res = await cli(
      'read-home',
      '--local',
      gateway.url,
      '--http',
      `GET /api/home?date=${utcDateOf(Date.now())}`,
    );
    expect(res.code).toBe(EXIT.failed);
    expect(res.err).toContain('HTTP 401');
    expect(res.err).toContain('pass --user');
  });

  it('exits 1 on a function error, printing the error payload', async () => {
    const res = await cli('broadcast', '{"not":"a committed write"}', '--local', gateway.url);
    expect(res.code).toBe(EXIT.failed);
    expect(res.err).toContain('function error (Unhandled)');
    expect(res.json).toMatchObject({ errorType: expect.any(String), errorMessage: expect.any(String) });
  });

  it('queues an --async invocation and returns at once', async () => {
    const res = await cli('health', '--local', gateway.url, '--async');
    expect(res.code).toBe(EXIT.ok);
    expect(res.err).toContain('queued (HTTP 202)');
  });

  it('exits 1 naming the function when the gateway does not host it', async () => {
    // The gateway hosts every function of the route table, so only a CLI that knows a name the
    // gateway lacks (e.g. a newer checkout against an older gateway) reaches this answer.
    let err = '';
    const code = await runInvoke(['retired-function', '--local', gateway.url], {
      out: () => {},
      err: (t) => (err += t),
      env: { ...process.env, DATA_DIR: dataDir },
      knownFunctions: ['retired-function'],
    });
    expect(code).toBe(EXIT.failed);
    expect(err).toContain('ResourceNotFoundException');
  });
});

describe('npm run invoke -- <function> (deployed stack)', () => {
  it('maps the route-table name to the physical name from the outputs file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-outputs-'));
    const outputs = join(dir, 'cdk-outputs.json');
    const names = { health: PHYSICAL_HEALTH, 'tasks-create': 'RoutineSync-TasksCreateFn-X' };
    writeFileSync(
      outputs,
      JSON.stringify({ RoutineSync: { FunctionNames: JSON.stringify(names), Region: 'eu-west-1' } }),
    );
    // The SDK's standard endpoint override stands in for AWS; names and the region come from the file.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: gateway.url,
      // The gateway's Invoke API accepts only its own credentials.
      AWS_ACCESS_KEY_ID: gateway.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: gateway.credentials.secretAccessKey,
    });
    try {
      const res = await cli('health', '--outputs', outputs);
      expect(res.err).toContain(`health (${PHYSICAL_HEALTH}) in eu-west-1: HTTP 200`);
      expect(res.json).toMatchObject({ ok: true, db: 'up' });
      expect(res.code).toBe(EXIT.ok);
    } finally {
      process.env = saved;
    }
  });
});

describe('npm run invoke -- --http (deployed stack with the origin check on)', () => {
  const SECRET = 'inv0ke0origin0secret0for0the0test0only0abcdefgh';
  const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OriginVerify-AbCdEf';
  const names = { health: PHYSICAL_HEALTH };

  /** Stands in for Secrets Manager (GetSecretValue, JSON 1.1) and records the ids it was asked for. */
  async function fakeSecretsManager() {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        asked.push(String((JSON.parse(body) as { SecretId?: unknown }).SecretId));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: SECRET_ARN, SecretString: JSON.stringify({ current: SECRET }) }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, asked, close: () => new Promise<void>((done) => server.close(() => done())) };
  }

  function outputsFile(outputs: Record<string, string>): string {
    const file = join(mkdtempSync(join(tmpdir(), 'invoke-outputs-')), 'cdk-outputs.json');
    const stack = { FunctionNames: JSON.stringify(names), Region: 'eu-west-1', ...outputs };
    writeFileSync(file, JSON.stringify({ RoutineSync: stack }));
    return file;
  }

  it('adds the header from the OriginVerifySecretArn output, without printing it', async () => {
    const secrets = await fakeSecretsManager();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: gateway.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      // The gateway's Invoke API accepts only its own credentials.
      AWS_ACCESS_KEY_ID: gateway.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: gateway.credentials.secretAccessKey,
      // What the stack sets on HTTP functions; the local gateway shares its process.env with them.
      ORIGIN_VERIFY_SECRET: SECRET,
    });
    try {
      const withArn = await cli('health', '--outputs', outputsFile({ OriginVerifySecretArn: SECRET_ARN }));
      expect(withArn.err).toContain('HTTP 200');
      expect(withArn.code).toBe(EXIT.ok);
      expect(secrets.asked).toEqual([SECRET_ARN]);
      expect(withArn.out + withArn.err).not.toContain(SECRET);
      // Without the output the event has no header, and the handler refuses it: the check is live.
      const without = await cli('health', '--outputs', outputsFile({}));
      expect(without.err).toContain('HTTP 403');
      expect(without.code).toBe(EXIT.failed);
    } finally {
      process.env = saved;
      await secrets.close();
    }
  });
});
