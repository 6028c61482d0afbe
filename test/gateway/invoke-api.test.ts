// The Lambda Invoke API emulation, driven by the real @aws-sdk/client-lambda with only an endpoint.
import {
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { fixtureInternal, fixtureRoutes } from './fixtures/routes.ts';
import { signedFetch } from './fixtures/signed-fetch.ts';

let gateway: LocalGateway;
let lambda: LambdaClient;

beforeAll(async () => {
  gateway = await createLocalGateway({ port: 0, routes: fixtureRoutes, internalFunctions: fixtureInternal });
  lambda = new LambdaClient({
    endpoint: gateway.url,
    region: 'us-east-1',
    credentials: gateway.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  lambda?.destroy();
  await gateway?.close();
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parse = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

describe('Invoke', () => {
  it('runs a RequestResponse invocation and returns its result', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: json({ hello: 'world' }), LogType: 'Tail' }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const result = parse(out.Payload);
    expect(JSON.parse(result.body)).toMatchObject({
      event: { hello: 'world' },
      context: { functionName: 'echo' },
    });
    expect(Buffer.from(out.LogResult ?? '', 'base64').toString()).toContain('REPORT RequestId:');
  });

  it('accepts a function ARN as the name', async () => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
        Payload: json({}),
      }),
    );
    expect(out.StatusCode).toBe(200);
  });

  it('answers an Event invocation with 202 and runs it in the background', async () => {
    const before = JSON.parse(
      parse((await lambda.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload).body,
    );
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: json({}) }),
    );
    expect(out.StatusCode).toBe(202);
    expect(out.Payload?.length ?? 0).toBe(0);
    await expect
      .poll(async () => {
        const now = await lambda.send(new InvokeCommand({ FunctionName: 'echo' }));
        return JSON.parse(parse(now.Payload).body).invocations;
      })
      .toBeGreaterThanOrEqual(before.invocations + 2);
  });

  it('reports a function error with X-Amz-Function-Error and the runtime error payload', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: json({ fail: 'nope' }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const error = parse(out.Payload);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'nope' });
    expect(error.trace[0]).toBe('TypeError: nope');
  });

  it('reports a timeout as a function error', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(parse(out.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it.each([
    ['broken', 'Runtime.ImportModuleError', 'cannot load'],
    ['no-handler', 'Runtime.ImportModuleError', 'does not export a handler function'],
  ])('reports a module that cannot load (%s) as %s', async (name, errorType, message) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
    expect(out.FunctionError).toBe('Unhandled');
    const error = parse(out.Payload);
    expect(error.errorType).toBe(errorType);
    expect(error.errorMessage).toContain(message);
  });

  it('throws ResourceNotFoundException for an unknown function', async () => {
    const call = lambda.send(new InvokeCommand({ FunctionName: 'no-such-function' }));
    await expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(call).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function',
      $metadata: { httpStatusCode: 404 },
    });
    const raw = await signedFetch(
      `${gateway.url}/2015-03-31/functions/no-such-function/invocations`,
      { method: 'POST' },
      gateway.credentials,
    );
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await raw.json()).toEqual({
      Message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function',
      Type: 'User',
    });
  });

  it('rejects a payload that is not JSON with InvalidRequestContentException', async () => {
    const call = lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{oops') }),
    );
    await expect(call).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects an unknown invocation type with InvalidParameterValueException', async () => {
    const res = await signedFetch(
      `${gateway.url}/2015-03-31/functions/echo/invocations`,
      { method: 'POST', headers: { 'x-amz-invocation-type': 'Sometimes' }, body: '{}' },
      gateway.credentials,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(await res.json()).toMatchObject({ Type: 'User' });
  });
});

describe('ListFunctions', () => {
  it('lists every hosted function, with pagination', async () => {
    const all = await lambda.send(new ListFunctionsCommand({}));
    const names = all.Functions?.map((f) => f.FunctionName) ?? [];
    expect(names).toEqual(expect.arrayContaining(['health', 'echo', 'slow', 'test-authorizer']));
    expect(all.Functions?.find((f) => f.FunctionName === 'slow')).toMatchObject({
      Timeout: 1,
      Runtime: 'nodejs22.x',
    });
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions).toHaveLength(2);
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    expect(second.Functions?.[0]?.FunctionName).toBe(names[2]);
  });
});
