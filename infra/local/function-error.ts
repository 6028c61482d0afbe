// What the Node.js runtime reports for a failed invocation: the Invoke API's error payload.

export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export function errorPayload(err: unknown, errorType?: string): FunctionErrorPayload {
  if (err instanceof Error) {
    return {
      errorType: errorType ?? err.name,
      errorMessage: err.message,
      trace: err.stack?.split('\n') ?? [],
    };
  }
  return { errorType: errorType ?? typeof err, errorMessage: String(err) };
}
