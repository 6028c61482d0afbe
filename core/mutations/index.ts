// The registry of shared mutations and the one entry point both sides apply them through.
import * as v from 'valibot';
import { DomainError } from '../errors.ts';
import type { Hlc } from '../hlc.ts';
import type { RecordKey } from '../records.ts';
import type { Tx } from '../store.ts';
import { completeTask, skipTask, uncompleteTask } from './completion-mutations.ts';
import type { MutationContext } from './mutator.ts';
import { updateSettings } from './settings-mutations.ts';
import { archiveTask, createTask, editTask, reorderTasks } from './task-mutations.ts';
import { deleteWeight, logWeight } from './weight-mutations.ts';

export const mutators = {
  createTask,
  editTask,
  archiveTask,
  reorderTasks,
  completeTask,
  skipTask,
  uncompleteTask,
  logWeight,
  deleteWeight,
  updateSettings,
} as const;

export type Mutators = typeof mutators;
export type MutationName = keyof Mutators;
export const MUTATION_NAMES = Object.keys(mutators) as MutationName[];

/** What a caller passes (before defaults and trimming). */
export type MutationArgs<N extends MutationName> = v.InferInput<Mutators[N]['argsSchema']>;
/** Queues or runs one mutation; the arguments are checked against the name at compile time. */
export type Mutate<R> = <N extends MutationName>(name: N, args: MutationArgs<N>) => R;
/** What `apply` receives after validation. */
export type ParsedMutationArgs<N extends MutationName> = v.InferOutput<Mutators[N]['argsSchema']>;

/** A mutation to apply: name, raw arguments, and its stamp. */
export interface MutationCall {
  name: string;
  args: unknown;
  hlc: Hlc;
}

export interface ParsedMutation {
  name: MutationName;
  args: unknown;
  /** The records applying it may read (load these on the server before `applyMutation`). */
  reads: RecordKey[];
}

export function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(mutators, name);
}

/** Validate a mutation's name and arguments; throws `DomainError` UnknownMutation / InvalidArgs. */
export function parseMutation(call: { name: string; args: unknown }): ParsedMutation {
  if (!isMutationName(call.name)) {
    throw new DomainError('UnknownMutation', `There is no mutation named "${call.name}".`);
  }
  const mutator = mutators[call.name] as Mutators[MutationName];
  const result = v.safeParse(mutator.argsSchema, call.args);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    throw new DomainError('InvalidArgs', `${call.name}: ${path ? `${path}: ` : ''}${issue.message}`);
  }
  const args = result.output;
  return { name: call.name, args, reads: (mutator.reads as (a: unknown) => RecordKey[])(args) };
}

/**
 * Validate and apply one mutation to `tx`. Throws `DomainError` (and writes nothing) when it is not
 * allowed. Applying the same call (same stamp) again is a no-op: every write is last-writer-wins.
 */
export function applyMutation(tx: Tx, call: MutationCall, ctx: Omit<MutationContext, 'hlc'>): void {
  const parsed = parseMutation(call);
  const mutator = mutators[parsed.name] as Mutators[MutationName];
  (mutator.apply as (tx: Tx, args: unknown, ctx: MutationContext) => void)(tx, parsed.args, {
    ...ctx,
    hlc: call.hlc,
  });
}

export type { MutationContext, Mutator } from './mutator.ts';
export { assertDateInRange, assertStampNotAhead, EARLIEST_DATE } from './mutator.ts';
