// HTTP errors with codes, and the single mapper from anything thrown to a wire error.
import { type DomainErrorCode, isDomainError } from '../../core/errors.ts';

export const HTTP_ERROR_STATUS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  MutationIdGap: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

export interface WireIssue {
  path: string;
  message: string;
}

/** What every error response body looks like. */
export interface WireError {
  error: string;
  message: string;
  issues?: WireIssue[];
  requestId?: string;
  [extra: string]: unknown;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly extra: {
      issues?: WireIssue[];
      headers?: Record<string, string>;
      body?: Record<string, unknown>;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = HTTP_ERROR_STATUS[code];
  }
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  InvalidArgs: 400,
  UnknownMutation: 400,
  TaskNotFound: 404,
  TaskArchived: 409,
  DateOutOfRange: 400,
  NotScheduled: 409,
  ClockAhead: 409,
};

/** The status of a domain error code; 400 for a code this version does not know. */
export function statusOf(code: string): number {
  return Object.hasOwn(DOMAIN_STATUS, code) ? DOMAIN_STATUS[code as DomainErrorCode] : 400;
}

/** Driver errors that mean "the database is unreachable right now": retry later, nothing was written. */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'DatabaseUnavailableError',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  return err instanceof Error && UNAVAILABLE_ERROR_NAMES.has(err.name);
}

export interface MappedError {
  status: number;
  body: WireError;
  headers: Record<string, string>;
  /** Unknown errors are logged in full; known ones are the caller's fault and are not. */
  unexpected: boolean;
}

export function mapError(err: unknown, requestId: string): MappedError {
  if (isHttpError(err)) {
    const body: WireError = { ...err.extra.body, error: err.code, message: err.message };
    if (err.extra.issues) body.issues = err.extra.issues;
    return { status: err.status, body, headers: err.extra.headers ?? {}, unexpected: false };
  }
  if (isDomainError(err)) {
    return {
      status: statusOf(err.code),
      body: { error: err.code, message: err.message },
      headers: {},
      unexpected: false,
    };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      body: {
        error: 'ServiceUnavailable',
        message: 'The database is unreachable; try again shortly.',
        requestId,
      },
      headers: { 'retry-after': '5' },
      unexpected: true,
    };
  }
  return {
    status: 500,
    body: { error: 'InternalError', message: 'Something went wrong on our side.', requestId },
    headers: {},
    unexpected: true,
  };
}
