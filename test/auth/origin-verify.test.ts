// Only CloudFront may call the HTTP API: with the origin check on (the CDK stack sets it), a request
// without CloudFront's secret header gets 403 from the shared handler wrapper, on public routes too,
// and X-Forwarded-For is trusted only on requests that carried the secret. With the check off (the
// local gateway, these other suites), the connection's own address is the caller's.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientAddress } from '../../functions/lib/auth/client-address.ts';
import { users } from '../../functions/lib/auth/collections.ts';
import {
  createOriginVerifier,
  type OriginSecret,
  parseOriginSecret,
  verifyOrigin,
} from '../../functions/lib/origin-verify.ts';
import { httpEvent } from '../support/http-event.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { directCaller } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';

const SECRET = 'Zq4rT8vW2xY6bN1mK3jH5gF7dS9aP0oL2iU4yT6rE8wQ1zX3';
const OLD_SECRET = 'old0secret0value0that0CloudFront0may0still0send';
const CHECK_ON = { ORIGIN_VERIFY_SECRET: SECRET };
const PASSWORD = 'plum-jam-on-toast-42';

describe('createOriginVerifier', () => {
  const fixed = (secret: OriginSecret) => createOriginVerifier({ load: async () => secret });

  it.each([
    ['the current value', SECRET, true],
    ['the previous value during a rotation', OLD_SECRET, true],
    ['a wrong value of the same length', `${SECRET.slice(0, -1)}x`, false],
    ['a prefix of the value', SECRET.slice(0, 10), false],
    ['the value with a trailing space', `${SECRET} `, false],
    ['an empty header', '', false],
    ['no header', undefined, false],
  ] as const)('given %s answers %s', async (_name, header, expected) => {
    expect(await fixed({ current: SECRET, previous: OLD_SECRET }).verify(header)).toBe(expected);
  });

  it('stops accepting the previous value once the secret no longer has it', async () => {
    expect(await fixed({ current: SECRET }).verify(OLD_SECRET)).toBe(false);
  });

  it('reloads on a mismatch to pick up a rotation, at most once per interval', async () => {
    let clock = 0;
    const loads: OriginSecret[] = [{ current: OLD_SECRET }, { current: SECRET, previous: OLD_SECRET }];
    let calls = 0;
    const verifier = createOriginVerifier({
      load: async () => loads[Math.min(calls++, loads.length - 1)] as OriginSecret,
      now: () => clock,
      minReloadMs: 1000,
      maxAgeMs: 60_000,
    });
    expect(await verifier.verify(OLD_SECRET)).toBe(true);
    expect(await verifier.verify(SECRET)).toBe(false); // loaded just now: no reload yet
    expect(calls).toBe(1);
    clock = 1000;
    expect(await verifier.verify(SECRET)).toBe(true); // CloudFront sends the rotated value
    expect(calls).toBe(2);
    expect(await verifier.verify('forged')).toBe(false);
    expect(await verifier.verify('forged again')).toBe(false);
    expect(calls).toBe(2); // a forger cannot make it hammer Secrets Manager
  });

  it('reloads a value older than maxAge, so a dropped previous value stops working', async () => {
    let clock = 0;
    let secret: OriginSecret = { current: SECRET, previous: OLD_SECRET };
    const verifier = createOriginVerifier({
      load: async () => secret,
      now: () => clock,
      minReloadMs: 1000,
      maxAgeMs: 60_000,
    });
    expect(await verifier.verify(OLD_SECRET)).toBe(true);
    secret = { current: SECRET };
    clock = 60_000;
    expect(await verifier.verify(OLD_SECRET)).toBe(false);
    expect(await verifier.verify(SECRET)).toBe(true);
  });

  it('fails (and does not cache the failure) when the secret cannot be read', async () => {
    let fail = true;
    const verifier = createOriginVerifier({
      load: async () => {
        if (fail) throw new Error('AccessDenied');
        return { current: SECRET };
      },
    });
    await expect(verifier.verify(SECRET)).rejects.toThrow('AccessDenied');
    fail = false;
    expect(await verifier.verify(SECRET)).toBe(true);
  });
});

describe('parseOriginSecret', () => {
  it.each([
    ['the JSON the stack generates', `{"current":"${SECRET}"}`, { current: SECRET }],
    [
      'JSON with a previous value',
      `{"current":"${SECRET}","previous":"${OLD_SECRET}"}`,
      { current: SECRET, previous: OLD_SECRET },
    ],
    ['a bare value', ` ${SECRET}\n`, { current: SECRET }],
  ] as const)('reads %s', (_name, text, expected) => {
    expect(parseOriginSecret(text)).toEqual(expected);
  });

  it('does not quote a malformed value in its error (errors are logged)', () => {
    expect(() => parseOriginSecret(`{"current": ${SECRET}}`)).toThrow('The origin secret is not valid JSON');
    try {
      parseOriginSecret(`{"current": ${SECRET}}`);
    } catch (err) {
      expect(String(err)).not.toContain(SECRET.slice(0, 8));
      expect((err as Error).cause).toBeUndefined();
    }
  });

  it.each([
    ['an empty value', ''],
    ['JSON without current', `{"previous":"${OLD_SECRET}"}`],
    ['an empty current', '{"current":""}'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseOriginSecret(text)).toThrow();
  });
});

describe('clientAddress', () => {
  const event = (headers: Record<string, string>) => httpEvent({ path: '/api/auth/signup', headers });
  const FORGED = { 'x-forwarded-for': '10.9.9.9, 198.51.100.7, 127.0.0.1' };

  it('ignores a forged X-Forwarded-For when the check is off (locally)', async () => {
    const e = event(FORGED);
    expect(await verifyOrigin(e, {})).toBe('off');
    expect(clientAddress(e)).toBe('127.0.0.1');
  });

  it('ignores a forged X-Forwarded-For on a request without the secret (direct to execute-api)', async () => {
    for (const headers of [FORGED, { ...FORGED, 'x-origin-verify': 'guess' }]) {
      const e = event(headers);
      expect(await verifyOrigin(e, CHECK_ON)).toBe('refused');
      expect(clientAddress(e)).toBe('127.0.0.1');
    }
  });

  it.each([
    ['the source address when CloudFront forwarded nothing', {}, '127.0.0.1'],
    ['the source address when the header is only that', { 'x-forwarded-for': '127.0.0.1' }, '127.0.0.1'],
    [
      'the viewer CloudFront saw, just before the edge',
      { 'x-forwarded-for': '198.51.100.7, 127.0.0.1' },
      '198.51.100.7',
    ],
    [
      'that viewer, not what the client claimed before it',
      { 'x-forwarded-for': '10.9.9.9, 198.51.100.7, 127.0.0.1' },
      '198.51.100.7',
    ],
    [
      'the source address when the last hop is not it',
      { 'x-forwarded-for': '198.51.100.7, 192.0.2.1' },
      '127.0.0.1',
    ],
  ] as const)('on a request with the secret uses %s', async (_name, headers, expected) => {
    const e = event({ ...headers, 'x-origin-verify': SECRET });
    expect(await verifyOrigin(e, CHECK_ON)).toBe('verified');
    expect(clientAddress(e)).toBe(expected);
  });

  it('removes the secret header from the event once checked', async () => {
    const e = event({ 'x-origin-verify': SECRET });
    await verifyOrigin(e, CHECK_ON);
    expect(e.headers['x-origin-verify']).toBeUndefined();
  });
});

describe('handlers with the origin check on', () => {
  let t: AppDb;
  beforeAll(async () => {
    t = await startAppDb();
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  const signupRoute = routeNamed('auth-signup');
  const body = (email: string) => ({ email, password: PASSWORD });

  it.each([
    ['no header', {}],
    ['a wrong header', { 'x-origin-verify': OLD_SECRET }],
  ])('refuses a sign-up with %s: 403 JSON, nothing written', async (_name, headers) => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', SECRET);
    const before = await users(t.db).countDocuments();
    const res = await directCaller(signupRoute, { body: body('direct@example.com'), headers });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: 'Forbidden',
      message: 'Call the API through the site, not its execute-api endpoint',
    });
    expect(res.setCookies).toEqual([]);
    expect(await users(t.db).countDocuments()).toBe(before);
  });

  it('refuses the other public routes too (health, login)', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', SECRET);
    expect((await directCaller(routeNamed('health'))).status).toBe(403);
    const login = await directCaller(routeNamed('auth-login'), { body: body('nobody@example.com') });
    expect(login.status).toBe(403);
  });

  it('serves a request that carries the secret', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', SECRET);
    const res = await directCaller(signupRoute, {
      body: body('through.cloudfront@example.com'),
      headers: { 'x-origin-verify': SECRET },
    });
    expect(res.status).toBe(201);
  });

  it('limits sign-ups per viewer behind CloudFront, and a forged hop cannot dodge it directly', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', SECRET);
    const viaCloudFront = (i: number, viewer: string) =>
      directCaller(signupRoute, {
        body: body(`viewer${viewer}-${i}@example.com`),
        headers: { 'x-origin-verify': SECRET, 'x-forwarded-for': `${viewer}, 127.0.0.1` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await viaCloudFront(i, '198.51.100.9')).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    expect((await viaCloudFront(0, '198.51.100.10')).status).toBe(201);
    // The same caller straight at execute-api, claiming a fresh viewer: refused before any limit.
    const forged = await directCaller(signupRoute, {
      body: body('forged@example.com'),
      headers: { 'x-forwarded-for': '192.0.2.200, 127.0.0.1' },
    });
    expect(forged.status).toBe(403);
  });

  it('never logs or answers with the secret', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', SECRET);
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    const texts: string[] = [];
    const variants: Record<string, string>[] = [
      { 'x-origin-verify': SECRET },
      { 'x-origin-verify': `${SECRET}x` },
      {},
    ];
    for (const headers of variants) {
      const res = await directCaller(signupRoute, { body: { email: 'not-an-email' }, headers });
      texts.push(res.text, JSON.stringify(res.headers));
    }
    expect([...lines, ...texts].join('\n')).not.toContain(SECRET);
  });
});
