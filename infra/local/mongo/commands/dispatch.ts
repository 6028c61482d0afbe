// Command dispatch: resolves the session and transaction a command runs in, runs its handler,
// waits for the journal when it wrote, and turns errors into `ok: 0` replies.
//
//   lsid + txnNumber + autocommit:false + startTransaction → begin, run in the transaction
//   lsid + txnNumber + autocommit:false                    → continue that transaction
//   lsid + txnNumber (no autocommit)                       → retryable write (replayed if seen)
import type { Document } from 'bson';
import { aggregate } from 'mingo';
import { serverError, toServerError } from '../errors.ts';
import { DataAccess } from '../query/data-access.ts';
import { MINGO_OPTIONS } from '../query/mingo-options.ts';
import type { Session, Txn } from '../txn/sessions.ts';
import { catalogCommands } from './catalog-commands.ts';
import type { CommandContext, CommandHandler } from './context.ts';
import { explain } from './explain.ts';
import { findAndModify } from './find-and-modify.ts';
import { handshakeCommands } from './handshake.ts';
import { readCommands } from './read-commands.ts';
import { sessionCommands } from './session-commands.ts';
import { writeCommands } from './write-commands.ts';

const handlers: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...writeCommands,
  ...readCommands,
  ...catalogCommands,
  ...sessionCommands,
  findandmodify: findAndModify,
  explain,
};

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findandmodify']);
const CATALOG_WRITES = new Set([
  'create',
  'drop',
  'dropdatabase',
  'createindexes',
  'dropindexes',
  'renamecollection',
]);

/** Whether the reply must wait for the journal: the command wrote, and not into an open transaction. */
function writesDurably(name: string, body: Document, txn: Txn | undefined): boolean {
  if (name === 'committransaction') return true;
  if (txn) return false;
  if (WRITE_COMMANDS.has(name) || CATALOG_WRITES.has(name)) return true;
  const pipeline = name === 'aggregate' && Array.isArray(body.pipeline) ? (body.pipeline as Document[]) : [];
  return pipeline.some((stage) => '$out' in stage);
}

export type BaseContext = Omit<CommandContext, 'access' | 'session' | 'db' | 'body'>;

export function commandName(body: Document): string {
  return (Object.keys(body)[0] ?? '').toLowerCase();
}

export async function runCommand(
  base: BaseContext,
  body: Document,
  db: string,
  durable: () => Promise<void>,
): Promise<Document> {
  const name = commandName(body);
  const handler = handlers[name];
  let txn: Txn | undefined;
  try {
    if (!handler) throw serverError('CommandNotFound', `no such command: '${Object.keys(body)[0] ?? ''}'`);
    rejectUnsupportedOptions(body);
    const session = sessionOf(base, body);
    txn = session ? resolveTxn(base, session, body, name) : undefined;
    const retry = session && !txn ? replayRetry(session, body, name) : undefined;
    if (retry) return retry;
    const ctx: CommandContext = {
      ...base,
      db,
      body,
      session,
      access: new DataAccess(base.engine, base.sessions, txn),
    };
    ctx.access.variables = letVariables(body);
    const reply: Document = { ...(await handler(ctx)), ok: 1 };
    if (txn && reply.writeErrors) base.sessions.abort(txn);
    if (writesDurably(name, body, txn)) await durable();
    if (session && !txn && body.txnNumber !== undefined && WRITE_COMMANDS.has(name)) {
      session.lastRetryable = { txnNumber: Number(body.txnNumber), reply };
    }
    return reply;
  } catch (err) {
    if (txn?.state === 'active') base.sessions.abort(txn);
    return toServerError(err).toReply();
  }
}

function sessionOf(base: BaseContext, body: Document): Session | undefined {
  const lsid = body.lsid as { id?: { toString(encoding?: string): string } } | undefined;
  if (!lsid?.id) return undefined;
  const id = (lsid.id as { toString(encoding: string): string }).toString('hex');
  return base.sessions.session(id);
}

function resolveTxn(base: BaseContext, session: Session, body: Document, name: string): Txn | undefined {
  if (body.autocommit !== false || body.txnNumber === undefined) return undefined;
  const txnNumber = Number(body.txnNumber);
  const current = session.txn;
  if (current && txnNumber < current.txnNumber) {
    throw serverError(
      'TransactionTooOld',
      `txnNumber ${txnNumber} is less than last txnNumber ${current.txnNumber}`,
    );
  }
  if (body.startTransaction === true) {
    if (current?.txnNumber === txnNumber) {
      throw serverError('BadValue', `Transaction ${txnNumber} has already been started`);
    }
    return base.sessions.begin(session, txnNumber);
  }
  if (!current || current.txnNumber !== txnNumber) {
    throw serverError('NoSuchTransaction', `Transaction ${txnNumber} has not been started`, {
      labels: ['TransientTransactionError'],
    });
  }
  if (name === 'committransaction' || name === 'aborttransaction') return current;
  if (current.state !== 'active') {
    throw serverError('NoSuchTransaction', `Transaction ${txnNumber} has been ${current.state}`, {
      labels: ['TransientTransactionError'],
    });
  }
  return current;
}

function replayRetry(session: Session, body: Document, name: string): Document | undefined {
  if (!WRITE_COMMANDS.has(name) || body.txnNumber === undefined) return undefined;
  const last = session.lastRetryable;
  return last && last.txnNumber === Number(body.txnNumber) ? last.reply : undefined;
}

/**
 * Options that would change results if ignored: refuse them rather than answer wrongly.
 * (`hint` only picks an index, and `maxTimeMS`/`comment` do not affect results, so those pass.)
 */
function rejectUnsupportedOptions(body: Document): void {
  const statements = [body, ...((body.updates ?? body.deletes ?? []) as Document[])];
  for (const statement of statements) {
    if (statement.collation !== undefined) {
      throw serverError('NotImplemented', 'collation is not supported by the embedded server');
    }
  }
}

/** A command's `let`: a document of constants, which MongoDB checks the same way. */
function letVariables(body: Document): Document | undefined {
  if (body.let === undefined) return undefined;
  if (!body.let || typeof body.let !== 'object' || Array.isArray(body.let)) {
    throw serverError('TypeMismatch', "BSON field 'let' is the wrong type, expected type 'object'");
  }
  // Each value is an expression evaluated once ({$literal: "$x"} is the string "$x").
  const [evaluated] = aggregate(
    [{}],
    [{ $replaceWith: { $literal: {} } }, { $addFields: body.let }],
    MINGO_OPTIONS,
  );
  return evaluated as Document;
}
