// Where the browser finds the WebSocket API: the deployed site's /config.json, else the same origin.
import { describe, expect, it } from 'vitest';
import { fetchSocketUrl } from '../../web/src/realtime/browser-poke-source.ts';

const answering =
  (body: string, status = 200, type = 'application/json'): typeof fetch =>
  async () =>
    new Response(body, { status, headers: { 'content-type': type } });

const local = { protocol: 'http:', host: '127.0.0.1:3000' };
const deployed = { protocol: 'https:', host: 'd111111abcdef8.cloudfront.net' };

describe('fetchSocketUrl', () => {
  it.each([
    [
      'the published URL',
      answering('{"webSocketUrl":"wss://abc.execute-api.eu-west-1.amazonaws.com/live"}'),
      deployed,
      'wss://abc.execute-api.eu-west-1.amazonaws.com/live',
    ],
    ['null: the app has no WebSocket API', answering('{"webSocketUrl":null}'), deployed, null],
    [
      'the local SPA fallback (HTML): same origin /ws',
      answering('<!doctype html>', 200, 'text/html'),
      local,
      'ws://127.0.0.1:3000/ws',
    ],
    [
      'a 404: same origin, wss on https',
      answering('', 404),
      deployed,
      'wss://d111111abcdef8.cloudfront.net/ws',
    ],
  ])('%s', async (_name, fetchFn, location, expected) => {
    expect(await fetchSocketUrl(fetchFn, location)).toBe(expected);
  });

  it('rejects when there is no answer at all, so that the caller asks again later', async () => {
    const offline: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchSocketUrl(offline, local)).rejects.toThrow('Failed to fetch');
  });
});
