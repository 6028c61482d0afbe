// Response payload 2.0 → HTTP, case by case as API Gateway documents it.
import { describe, expect, it } from 'vitest';
import { MalformedResponseError, mapFunctionResult } from '../../infra/local/api-response.ts';

const text = (r: ReturnType<typeof mapFunctionResult>) => r.body.toString('utf8');

describe('mapFunctionResult', () => {
  it.each([
    ['a bare string', 'Hello from Lambda!', 'Hello from Lambda!'],
    ['an object without statusCode', { message: 'hi' }, '{"message":"hi"}'],
    ['an object with body but no statusCode', { body: 'x' }, '{"body":"x"}'],
    ['a number', 42, '42'],
  ])('treats %s as a 200 JSON body', (_name, result, body) => {
    const mapped = mapFunctionResult(result);
    expect(mapped.status).toBe(200);
    expect(mapped.headers).toEqual([['content-type', 'application/json']]);
    expect(text(mapped)).toBe(body);
  });

  it('keeps status, lower-cases headers and defaults the content type to text', () => {
    const mapped = mapFunctionResult({
      statusCode: 418,
      headers: { 'X-Tea': 'yes', 'X-N': 3 },
      body: 'short and stout',
    });
    expect(mapped.status).toBe(418);
    expect(mapped.headers).toEqual([
      ['x-tea', 'yes'],
      ['x-n', '3'],
      ['content-type', 'text/plain; charset=utf-8'],
    ]);
    expect(text(mapped)).toBe('short and stout');
  });

  it('turns cookies into Set-Cookie headers and decodes base64 bodies', () => {
    const mapped = mapFunctionResult({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      cookies: ['sid=abc; HttpOnly', 'theme=dark'],
      body: Buffer.from('binary!').toString('base64'),
      isBase64Encoded: true,
    });
    expect(mapped.headers.filter(([n]) => n === 'set-cookie')).toEqual([
      ['set-cookie', 'sid=abc; HttpOnly'],
      ['set-cookie', 'theme=dark'],
    ]);
    expect(text(mapped)).toBe('binary!');
  });

  it('allows an empty body', () => {
    expect(mapFunctionResult({ statusCode: 204 }).body.length).toBe(0);
  });

  it.each([
    ['a string status', { statusCode: '200' }],
    ['an impossible status', { statusCode: 99 }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['non-string cookies', { statusCode: 200, cookies: [1] }],
    ['an object header value', { statusCode: 200, headers: { a: { b: 1 } } }],
    ["a body over Lambda's 6 MB response limit", { statusCode: 200, body: 'x'.repeat(6 * 1024 * 1024 + 1) }],
  ])('rejects %s', (_name, result) => {
    expect(() => mapFunctionResult(result)).toThrow(MalformedResponseError);
  });
});
