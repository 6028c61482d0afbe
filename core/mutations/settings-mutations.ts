// Changing the user's settings (unit, week start, time zone), field by field.
import { mergeFieldGroups } from '../field-clocks.ts';
import { updateSettingsArgsSchema } from '../schemas/mutation-schemas.ts';
import { DEFAULT_SETTINGS, isTombstone, SETTINGS_ID, type Settings } from '../schemas/record-schemas.ts';
import { defineMutator } from './mutator.ts';

/** The zero stamp: older than any real one, so the first write of a field always wins. */
const NEVER = '';

export const updateSettings = defineMutator({
  name: 'updateSettings',
  argsSchema: updateSettingsArgsSchema,
  reads: () => [{ collection: 'settings', id: SETTINGS_ID }],
  apply(tx, args, { hlc, nowMs }) {
    const stored = tx.get('settings', SETTINGS_ID);
    const current: Settings =
      stored && !isTombstone(stored) ? stored : { ...DEFAULT_SETTINGS, hlc: NEVER, clocks: {} };
    const next = mergeFieldGroups(
      current,
      {
        unit: args.unit === undefined ? undefined : { unit: args.unit },
        weekStart: args.weekStart === undefined ? undefined : { weekStart: args.weekStart },
        timeZone: args.timeZone === undefined ? undefined : { timeZone: args.timeZone },
      },
      hlc,
      nowMs,
    );
    if (next) tx.put('settings', next);
  },
});
