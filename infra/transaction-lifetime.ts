// How long MongoDB keeps an abandoned transaction, and its write locks, before aborting it
// (transactionLifetimeLimitSeconds, 60 s by default). A function killed inside a transaction (a
// Lambda timeout, a crashed container) leaves it open, and every sync write of that user `$inc`s the
// same version document: until the limit passes, all of that user's writes fail with WriteConflict
// and their retries time out. A little above the longest function timeout bounds that stall without
// ever cutting a live transaction short. One value for both sides: the local embedded server starts
// with it, and docs/deploy.md sets the Atlas cluster's advanced setting to it. Operations functions
// (index builds) open no transactions, so their longer timeouts do not count.
import { allFunctions } from './routes.ts';

export const TRANSACTION_LIFETIME_LIMIT_SECONDS =
  Math.max(...allFunctions().flatMap((fn) => (fn.kind === 'ops' ? [] : [fn.timeoutSeconds]))) + 5;
