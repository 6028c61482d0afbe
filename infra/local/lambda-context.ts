// A Lambda-like `context` for one invocation: the same fields the Node.js runtime provides, with a
// deadline so `getRemainingTimeInMillis()` counts down like the real one.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTION_MEMORY_MB } from '../routes.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './api-event.ts';

/** The stack's figure, so the in-process REPORT lines match the containers' and Lambda's. */
export const LOCAL_MEMORY_MB = FUNCTION_MEMORY_MB;

export function functionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

export function createLambdaContext(
  functionName: string,
  timeoutMs: number,
  awsRequestId: string = randomUUID(),
  memoryMb: number = LOCAL_MEMORY_MB,
): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error(
      'Callback-style context methods are not supported by the Node.js 22 runtime; return a promise.',
    );
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(functionName),
    memoryLimitInMB: String(memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
