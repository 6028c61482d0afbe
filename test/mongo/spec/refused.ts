// The one list of what the embedded server refuses by design, with the reason and the conformance
// tests each refusal skips. The spec runner skips a test only by this list or by the suite's own
// runOnRequirements; the server's README section "What it refuses" is generated from this list
// (test/mongo/spec/readme.ts).
import type { Document } from 'mongodb';

export interface SpecTestRef {
  file: string;
  description: string;
  operations: Document[];
}

export interface Refusal {
  /** `server`: the server refuses it; `driver`: the Node driver does not do what the test checks. */
  kind: 'server' | 'driver';
  feature: string;
  /** What a client gets when it asks for the feature. */
  answer: string;
  reason: string;
  /** Whether this refusal is why the conformance test cannot pass. */
  skips(test: SpecTestRef): boolean;
}

/** Option names anywhere in an operation's arguments, outside the documents and pipelines it carries. */
const DATA_ARGUMENTS = new Set(['document', 'documents', 'filter', 'update', 'replacement', 'pipeline']);

export function usesArgument(args: unknown, name: string): boolean {
  if (!args || typeof args !== 'object') return false;
  return Object.entries(args).some(
    ([key, value]) => key === name || (!DATA_ARGUMENTS.has(key) && usesArgument(value, name)),
  );
}

const usesOperation = (test: SpecTestRef, ...names: string[]) =>
  test.operations.some((operation) => names.includes(String(operation.name)));

const databaseAggregate = (test: SpecTestRef) =>
  test.operations.some(
    (operation) => operation.name === 'aggregate' && String(operation.object).startsWith('database'),
  );

/** The operations whose Node driver code sends bypassDocumentValidation only when it is true. */
const DRIVER_DROPS_FALSE = new Set([
  'Aggregate with $out passes bypassDocumentValidation: false',
  'BulkWrite passes bypassDocumentValidation: false',
  'FindOneAndReplace passes bypassDocumentValidation: false',
  'FindOneAndUpdate passes bypassDocumentValidation: false',
  'InsertMany passes bypassDocumentValidation: false',
]);

export const REFUSALS: Refusal[] = [
  {
    kind: 'server',
    feature: 'Fault injection (`configureFailPoint`)',
    answer: 'CommandNotFound (59)',
    reason:
      "a test hook of mongod's own test builds; the server's failure paths (write conflicts, torn journals, crashes) are tested directly",
    skips: (test) => usesOperation(test, 'failPoint', 'targetedFailPoint'),
  },
  {
    kind: 'server',
    feature: 'Client-level `bulkWrite` (several namespaces in one command)',
    answer: 'CommandNotFound (59), as from MongoDB 7.0',
    reason: 'the server reports version 7.0, where the command does not exist',
    skips: (test) => usesOperation(test, 'clientBulkWrite'),
  },
  {
    kind: 'server',
    feature: 'Collation (locale-aware string comparison)',
    answer: 'NotImplemented (115)',
    reason: 'comparing strings under ICU locale rules needs ICU collation data the server does not carry',
    skips: (test) => test.operations.some((operation) => usesArgument(operation.arguments, 'collation')),
  },
  {
    kind: 'server',
    feature: 'Document validation (`validator`, `collMod`)',
    answer: 'NotImplemented (115) for `validator`, CommandNotFound (59) for `collMod`',
    reason: 'schema validation belongs to the application here (valibot schemas at every boundary)',
    skips: (test) => usesOperation(test, 'modifyCollection'),
  },
  {
    kind: 'server',
    feature: 'Database-level aggregation (`$documents`, `$listLocalSessions`, `$currentOp`)',
    answer: 'NotImplemented (115)',
    reason:
      'these stages read server state or literal documents, not a collection; nothing in the project uses them',
    skips: databaseAggregate,
  },
  {
    kind: 'driver',
    feature: '`bypassDocumentValidation: false` on the wire',
    answer: 'accepted and ignored (there is no validation to bypass)',
    reason:
      'the tests check that a driver sends the option when false; the Node driver sends it only when true, so the command never carries it',
    skips: (test) =>
      test.file === 'bypassDocumentValidation.json' && DRIVER_DROPS_FALSE.has(test.description),
  },
];

export function refusalOf(test: SpecTestRef): Refusal | undefined {
  return REFUSALS.find((refusal) => refusal.skips(test));
}
