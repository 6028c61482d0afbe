// Where the browser finds the WebSocket API: the site's /config.json, locally as deployed.
import { describe, expect, it } from 'vitest';
import { fetchSocketUrl } from '../../web/src/realtime/browser-poke-source.ts';

const answering =
  (body: string, status = 200, type = 'application/json'): typeof fetch =>
  async () =>
    new Response(body, { status, headers: { 'content-type': type } });

describe('fetchSocketUrl', () => {
  it.each([
    [
      'the published URL',
      answering('{"webSocketUrl":"wss://abc.execute-api.eu-west-1.amazonaws.com/live"}'),
      'wss://abc.execute-api.eu-west-1.amazonaws.com/live',
    ],
    [
      'the local gateway’s URL',
      answering('{"webSocketUrl":"ws://localhost:3000/ws"}'),
      'ws://localhost:3000/ws',
    ],
    ['null: the app has no WebSocket API', answering('{"webSocketUrl":null}'), null],
    ['a host that answers HTML: polling only', answering('<!doctype html>', 200, 'text/html'), null],
    ['a 404: polling only', answering('', 404), null],
    ['a URL that is not a WebSocket URL: polling only', answering('{"webSocketUrl":"javascript:x"}'), null],
  ])('%s', async (_name, fetchFn, expected) => {
    expect(await fetchSocketUrl(fetchFn)).toBe(expected);
  });

  it('rejects when there is no answer at all or the server failed, so that the caller asks again later', async () => {
    const offline: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchSocketUrl(offline)).rejects.toThrow('Failed to fetch');
    await expect(fetchSocketUrl(answering('', 503))).rejects.toThrow('503');
  });
});
