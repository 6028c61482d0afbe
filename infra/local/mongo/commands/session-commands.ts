// Session and transaction commands. The dispatcher has already resolved the transaction named by
// lsid + txnNumber; these only finish it.
import { serverError } from '../errors.ts';
import type { CommandHandler } from './context.ts';

const commitTransaction: CommandHandler = (ctx) => {
  const txn = ctx.session?.txn;
  if (!txn)
    throw serverError('NoSuchTransaction', 'no transaction to commit', {
      labels: ['TransientTransactionError'],
    });
  ctx.sessions.commit(txn);
  return {};
};

const abortTransaction: CommandHandler = (ctx) => {
  const txn = ctx.session?.txn;
  if (!txn || txn.state === 'aborted') {
    throw serverError('NoSuchTransaction', 'Transaction has been aborted.', {
      labels: ['TransientTransactionError'],
    });
  }
  if (txn.state === 'committed') throw serverError('TransactionCommitted', 'Transaction has been committed.');
  ctx.sessions.abort(txn);
  return {};
};

const endSessions: CommandHandler = (ctx) => {
  for (const lsid of (ctx.body.endSessions ?? []) as Array<{ id?: { toString(encoding: string): string } }>) {
    if (lsid.id) ctx.sessions.end(lsid.id.toString('hex'));
  }
  return {};
};

export const sessionCommands: Record<string, CommandHandler> = {
  committransaction: commitTransaction,
  aborttransaction: abortTransaction,
  endsessions: endSessions,
  killsessions: endSessions,
  refreshsessions: () => ({}),
  startsession: () => {
    throw serverError('NotImplemented', 'startSession is not needed: drivers create sessions client-side');
  },
};
