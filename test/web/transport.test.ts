// The client reads the sync answers with the protocol's own schemas (core/schemas/sync-schemas.ts):
// an answer the server never sends is malformed (retried later), never taken as a verdict.
import { describe, expect, it } from 'vitest';
import { createFetchTransport, requestJson, TransportError } from '../../web/src/sync/transport.ts';

const HLC = '000000000000001:000000:device_1700000000000_abcd';

function answering(body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status: 200 });
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof TransportError ? error.kind : 'other';
  }
}

describe('requestJson', () => {
  /** A server that accepted the connection and then went silent (the phone left Wi-Fi mid-request). */
  const silent: typeof fetch = (_url, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });

  it('gives up on a request nobody answers, as a network failure the sync loop retries', async () => {
    const failed = requestJson(silent, '/api/sync/pull?since=0', { method: 'GET' }, 50);
    await expect(failed).rejects.toMatchObject({
      kind: 'network',
      message: 'The server did not answer in time',
    });
  });

  it('gives up on an answer whose body never ends', async () => {
    const stalled: typeof fetch = async (_url, init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"version":'));
            init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
          },
        }),
        { status: 200 },
      );
    const failed = requestJson(stalled, '/api/sync/pull?since=0', { method: 'GET' }, 50);
    await expect(failed).rejects.toMatchObject({
      kind: 'network',
      message: 'The server did not answer in time',
    });
  });
});

describe('fetch transport', () => {
  const envelope = { id: 1, name: 'logWeight', args: {}, hlc: HLC };

  it.each([
    [
      'a status the server never sends ("failed")',
      { lastMutationId: 1, version: 2, results: [{ id: 1, status: 'failed' }] },
    ],
    [
      'a status the server never sends ("error")',
      { lastMutationId: 1, version: 2, results: [{ id: 1, status: 'error' }] },
    ],
    ['no results list', { lastMutationId: 1, version: 2 }],
  ])('treats a push answer with %s as malformed (transient)', async (_name, body) => {
    const transport = createFetchTransport(answering(body));
    expect(await kindOf(transport.push('device_1700000000000_abcd', [envelope]))).toBe('transient');
  });

  it('reads a rejection with its reason', async () => {
    const error = { code: 'TaskNotFound', message: 'No such task.' };
    const body = { lastMutationId: 1, version: 2, results: [{ id: 1, status: 'rejected', error }] };
    const answer = await createFetchTransport(answering(body)).push('device_1700000000000_abcd', [envelope]);
    expect(answer.results).toEqual([{ id: 1, status: 'rejected', error }]);
  });

  it.each([
    ['a negative version', { version: -1, changes: {} }],
    ['a record without its stamp', { version: 3, changes: { weights: [{ id: '2024-01-01' }] } }],
  ])('treats a pull answer with %s as malformed (transient)', async (_name, body) => {
    const transport = createFetchTransport(answering(body));
    expect(await kindOf(transport.pull(0))).toBe('transient');
  });

  it('reads a tombstone in a pull answer', async () => {
    const body = { version: 3, changes: { weights: [{ id: '2024-01-01', hlc: HLC, deleted: true }] } };
    const answer = await createFetchTransport(answering(body)).pull(0);
    expect(answer.changes.weights).toEqual([{ id: '2024-01-01', hlc: HLC, deleted: true }]);
  });
});
