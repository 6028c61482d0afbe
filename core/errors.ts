// Domain errors: thrown by core mutations on both sides. The server maps each code to a 4xx and
// records a rejected mutation with it; the client shows it in the rollback toast.

export const DOMAIN_ERROR_CODES = {
  InvalidArgs: 'InvalidArgs',
  UnknownMutation: 'UnknownMutation',
  TaskNotFound: 'TaskNotFound',
  TaskArchived: 'TaskArchived',
  DateOutOfRange: 'DateOutOfRange',
  NotScheduled: 'NotScheduled',
  /** Stamped further ahead of the server's clock than the drift bound: re-stamp and send again. */
  ClockAhead: 'ClockAhead',
} as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[keyof typeof DOMAIN_ERROR_CODES];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
