import { EJSON } from 'bson';
// MongoDB server error codes the embedded server answers with. The driver keys retries and
// messages off `code`, `codeName` and `errorLabels`, so they must match the real server's.
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  Unauthorized: 13,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  NotImplemented: 115,
  CommandNotSupportedOnView: 166,
  TransactionTooOld: 225,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  Location40352: 40352,
  Location40415: 40415,
  DuplicateKey: 11000,
  MergeStageNoMatchingDocument: 13113,
  BSONObjectTooLarge: 10334,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

export interface ErrorExtras {
  labels?: string[];
  keyPattern?: Record<string, unknown>;
  keyValue?: Record<string, unknown>;
}

export class MongoServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly labels: string[];
  readonly extras: ErrorExtras;

  constructor(codeName: ErrorCodeName, message: string, extras: ErrorExtras = {}) {
    super(message);
    this.name = 'MongoServerError';
    this.code = ErrorCode[codeName];
    this.codeName = codeName;
    this.labels = extras.labels ?? [];
    this.extras = extras;
  }

  /** The `ok: 0` reply document the wire protocol sends for this error. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
    };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    if (this.extras.keyPattern) reply.keyPattern = this.extras.keyPattern;
    if (this.extras.keyValue) reply.keyValue = this.extras.keyValue;
    return reply;
  }

  /** The entry of a write command's `writeErrors` array. */
  toWriteError(index: number): Record<string, unknown> {
    const entry: Record<string, unknown> = { index, code: this.code, errmsg: this.message };
    if (this.extras.keyPattern) entry.keyPattern = this.extras.keyPattern;
    if (this.extras.keyValue) entry.keyValue = this.extras.keyValue;
    return entry;
  }
}

export function serverError(
  codeName: ErrorCodeName,
  message: string,
  extras?: ErrorExtras,
): MongoServerError {
  return new MongoServerError(codeName, message, extras);
}

export function writeConflict(): MongoServerError {
  return new MongoServerError(
    'WriteConflict',
    'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    { labels: ['TransientTransactionError'] },
  );
}

/** Errors from mingo or elsewhere that are not ours become BadValue / NotImplemented, never a crash. */
export function toServerError(err: unknown): MongoServerError {
  if (err instanceof MongoServerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/unknown|unregistered|not supported|unsupported|invalid operator|scriptEnabled/i.test(message)) {
    return new MongoServerError('NotImplemented', `Not supported by the embedded server: ${message}`);
  }
  return new MongoServerError('BadValue', message);
}

/** A BSON value in an error message, in the shell's relaxed notation ({_id: 1}, not a Long object). */
export function showValue(value: unknown): string {
  return value === undefined ? 'undefined' : EJSON.stringify(value, { relaxed: true });
}
