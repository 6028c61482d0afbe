// Logging and deleting the day's weight (one per local day).
import { weightId } from '../records.ts';
import { deleteWeightArgsSchema, logWeightArgsSchema } from '../schemas/mutation-schemas.ts';
import { putIfNewer } from '../store.ts';
import { assertDateInRange, defineMutator } from './mutator.ts';

export const logWeight = defineMutator({
  name: 'logWeight',
  argsSchema: logWeightArgsSchema,
  reads: (args) => [{ collection: 'weights', id: weightId(args.date) }],
  apply(tx, args, { hlc, nowMs }) {
    assertDateInRange(args.date, nowMs);
    putIfNewer(
      tx,
      'weights',
      {
        id: weightId(args.date),
        date: args.date,
        value: args.value,
        unit: args.unit,
        hlc,
      },
      nowMs,
    );
  },
});

export const deleteWeight = defineMutator({
  name: 'deleteWeight',
  argsSchema: deleteWeightArgsSchema,
  reads: (args) => [{ collection: 'weights', id: weightId(args.date) }],
  apply(tx, args, { hlc, nowMs }) {
    assertDateInRange(args.date, nowMs);
    putIfNewer(tx, 'weights', { id: weightId(args.date), hlc, deleted: true }, nowMs);
  },
});
