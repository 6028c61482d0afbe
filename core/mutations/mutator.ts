// What a shared mutation is: validated arguments, the records it reads, and a pure apply.
import type * as v from 'valibot';
import { addDays, type LocalDate, utcDateOf } from '../dates.ts';
import { DomainError } from '../errors.ts';
import { type Hlc, isBeyondDrift, MAX_CLOCK_DRIFT_MS } from '../hlc.ts';
import type { RecordKey } from '../records.ts';
import { isTombstone, type Task } from '../schemas/record-schemas.ts';
import type { Tx } from '../store.ts';

export interface MutationContext {
  /** The mutation's stamp: every record it writes carries it. */
  hlc: Hlc;
  deviceId: string;
  /** The wall clock of whoever applies it; used only to bound dates, never to pick "today". */
  nowMs: number;
}

// biome-ignore lint/suspicious/noExplicitAny: valibot's generic schema type needs `any` for its issue parameter.
export type ArgsSchema = v.GenericSchema<unknown, unknown, any>;

export interface Mutator<N extends string = string, S extends ArgsSchema = ArgsSchema> {
  readonly name: N;
  readonly argsSchema: S;
  /** The records `apply` may read, so the server can load exactly those before applying. */
  reads(args: v.InferOutput<S>): RecordKey[];
  /** Apply to `tx`. Throws `DomainError` when the change is not allowed. Deterministic and pure. */
  apply(tx: Tx, args: v.InferOutput<S>, ctx: MutationContext): void;
}

export function defineMutator<N extends string, S extends ArgsSchema>(mutator: Mutator<N, S>): Mutator<N, S> {
  return mutator;
}

export const EARLIEST_DATE: LocalDate = '2000-01-01';

/** Dates from 2000-01-01 up to a year (plus a day of time-zone slack) after the applier's clock. */
export function assertDateInRange(date: LocalDate, nowMs: number): void {
  const latest = addDays(utcDateOf(nowMs), 366);
  if (date < EARLIEST_DATE || date > latest) {
    throw new DomainError('DateOutOfRange', `The date ${date} is outside ${EARLIEST_DATE} … ${latest}.`);
  }
}

/** The live task `id`, or a TaskNotFound error. */
export function requireTask(tx: Tx, id: string): Task {
  const task = tx.get('tasks', id);
  if (!task || isTombstone(task)) throw new DomainError('TaskNotFound', `There is no task ${id}.`);
  return task;
}

/**
 * The server's guard against a broken or hostile clock: a stamp more than the drift bound ahead of the
 * applier's clock is refused (`ClockAhead`) before it can be stored and win every later conflict.
 * Honest clients stamp with their offset-corrected clock and re-stamp a mutation refused for this.
 */
export function assertStampNotAhead(hlc: Hlc, nowMs: number): void {
  if (isBeyondDrift(hlc, nowMs)) {
    throw new DomainError(
      'ClockAhead',
      `The change is stamped more than ${MAX_CLOCK_DRIFT_MS / 1000} s ahead of the server's clock.`,
    );
  }
}
