// Applying an update document (operators, replacement or pipeline) to one document. mingo does the
// operators' work; the server adds what mingo lacks: $setOnInsert, numeric $inc/$mul over every
// BSON number type, and MongoDB's error codes where mingo would silently do nothing.
import type { Document } from 'bson';
import { aggregate as mingoAggregate } from 'mingo';
import { serverError, showValue } from '../errors.ts';
import { valueKey } from '../storage/keys.ts';
import { orderKey } from '../storage/order-keys.ts';
import { applyMingoUpdate, MINGO_OPTIONS } from './mingo-options.ts';
import { addNumbers, isNumeric, multiplyNumbers, typeName } from './numbers.ts';
import { matchView, numericView } from './numeric-view.ts';
import { getPath, setPath } from './paths.ts';

const MINGO_OPERATORS = new Set([
  '$set',
  '$unset',
  '$rename',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
]);
const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

export type UpdateSpec = Document | Document[];

export interface UpdateOptions {
  filter: Document;
  arrayFilters?: Document[];
  /** True when the update builds a new document for an upsert ($setOnInsert applies). */
  inserting: boolean;
  /** The command's `let` variables (pipeline updates). */
  variables?: Document | undefined;
}

export function isReplacement(update: UpdateSpec): boolean {
  return !Array.isArray(update) && Object.keys(update).every((key) => !key.startsWith('$'));
}

/** Returns the updated document (a new object; `doc` may be mutated). */
export function applyUpdate(doc: Document, update: UpdateSpec, options: UpdateOptions): Document {
  const originalId = doc._id;
  let result: Document;
  if (Array.isArray(update)) {
    result = applyPipeline(doc, update, options.variables);
  } else if (isReplacement(update)) {
    result = originalId === undefined ? { ...update } : { _id: originalId, ...update };
  } else {
    result = applyOperators(doc, update, options);
  }
  if (originalId !== undefined && valueKey(result._id) !== valueKey(originalId)) {
    throw serverError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return result;
}

/** A pipeline update, computed by mingo over the numeric view; fields it left alone keep their types. */
function applyPipeline(doc: Document, pipeline: Document[], variables: Document | undefined): Document {
  const view = matchView(doc);
  const input = view === doc ? doc : numericView(doc);
  const options = variables ? { ...MINGO_OPTIONS, variables } : MINGO_OPTIONS;
  const [output] = mingoAggregate([input], pipeline, options) as Document[];
  // _id cannot change: a stage that drops it ($replaceWith, $project) keeps the original's, first.
  const result: Document =
    output && output._id === undefined && doc._id !== undefined
      ? { _id: doc._id, ...output }
      : (output ?? {});
  if (view === doc) return result;
  for (const key of Object.keys(result)) {
    if (Object.hasOwn(doc, key) && valueKey(result[key]) === valueKey(view[key])) result[key] = doc[key];
  }
  return result;
}

function applyOperators(doc: Document, update: Document, options: UpdateOptions): Document {
  checkConflicts(update);
  if (doc._id !== undefined) checkIdUntouched(doc, update);
  for (const [op, fields] of Object.entries(update)) {
    if (!fields || typeof fields !== 'object') {
      throw serverError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeName(fields)} instead.`,
      );
    }
    if (op === '$inc' || op === '$mul') applyArithmetic(doc, op, fields as Document, options);
    else if (op === '$setOnInsert') {
      if (options.inserting) for (const [path, value] of Object.entries(fields)) setPath(doc, path, value);
    } else if (MINGO_OPERATORS.has(op)) {
      if (ARRAY_OPERATORS.has(op)) checkArrayTargets(doc, op, fields as Document);
      if (!applyPlainSetOrUnset(doc, op, fields as Document)) {
        applyMingoUpdate(doc, { [op]: fields }, options.arrayFilters, options.filter);
      }
    } else {
      throw serverError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  return doc;
}

/**
 * The common case done here rather than by mingo, whose update set-up costs ~50 µs a call: $set,
 * $unset, $min and $max on paths that run through documents only (mingo's $min/$max would compare
 * Long and Double values as objects). Positional paths, paths through arrays and an
 * empty operator go to mingo. Returns whether it applied the operator.
 */
function applyPlainSetOrUnset(doc: Document, op: string, fields: Document): boolean {
  if (!PLAIN_OPERATORS.has(op)) return false;
  const paths = Object.keys(fields);
  if (paths.length === 0 || paths.some((path) => path.includes('$') || crossesArray(doc, path))) return false;
  for (const path of paths) {
    if (op === '$unset') unsetPath(doc, path);
    else if (op === '$set' || replacesBound(op, getPath(doc, path), fields[path])) {
      if (!setPath(doc, path, fields[path])) {
        throw serverError('PathNotViable', `Cannot create field in element for path '${path}'`);
      }
    }
  }
  return true;
}

const PLAIN_OPERATORS = new Set(['$set', '$unset', '$min', '$max']);

/** $min / $max: whether `value` replaces `current`, in BSON order across types (equal values stay). */
function replacesBound(op: string, current: unknown, value: unknown): boolean {
  if (current === undefined) return true;
  const a = orderKey(value);
  const b = orderKey(current);
  return op === '$min' ? a < b : a > b;
}

/** Whether an array is met before the path's last part (array element semantics: mingo's job). */
function crossesArray(doc: Document, path: string): boolean {
  let current: unknown = doc;
  const parts = path.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    if (!current || typeof current !== 'object') return false;
    current = (current as Document)[parts[i]!];
    if (Array.isArray(current)) return true;
  }
  return false;
}

function unsetPath(doc: Document, path: string): void {
  const parts = path.split('.');
  const parent = getPath(doc, parts.slice(0, -1).join('.') || '');
  const container = parts.length === 1 ? doc : parent;
  if (container && typeof container === 'object' && !Array.isArray(container)) {
    delete (container as Document)[parts[parts.length - 1]!];
  }
}

function checkIdUntouched(doc: Document, update: Document): void {
  for (const [op, fields] of Object.entries(update)) {
    if (op === '$setOnInsert' || !fields || typeof fields !== 'object') continue;
    for (const [path, value] of Object.entries(fields as Document)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      if (op === '$set' && path === '_id' && valueKey(value) === valueKey(doc._id)) continue;
      throw serverError(
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
  }
}

function checkConflicts(update: Document): void {
  const seen: string[] = [];
  for (const fields of Object.values(update)) {
    if (!fields || typeof fields !== 'object') continue;
    for (const path of Object.keys(fields as Document)) {
      const clash = seen.find(
        (other) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`),
      );
      if (clash !== undefined) {
        throw serverError(
          'ConflictingUpdateOperators',
          `Updating the path '${path}' would create a conflict at '${clash}'`,
        );
      }
      seen.push(path);
    }
  }
}

function applyArithmetic(doc: Document, op: '$inc' | '$mul', fields: Document, options: UpdateOptions): void {
  for (const [path, operand] of Object.entries(fields)) {
    if (!isNumeric(operand)) {
      const verb = op === '$inc' ? 'increment' : 'multiply';
      throw serverError(
        'TypeMismatch',
        `Cannot ${verb} with non-numeric argument: {${path}: ${String(operand)}}`,
      );
    }
    if (path.includes('$')) {
      // Positional paths ($, $[], $[id]) are resolved by mingo against the filter / arrayFilters.
      applyMingoUpdate(doc, { [op]: { [path]: operand } }, options.arrayFilters, options.filter);
      continue;
    }
    const current = getPath(doc, path);
    if (current !== undefined && !isNumeric(current)) {
      throw serverError(
        'TypeMismatch',
        `Cannot apply ${op} to a value of non-numeric type. {_id: ${showValue(doc._id)}} has the field '${path}' of non-numeric type ${typeName(current)}`,
      );
    }
    const next =
      op === '$inc'
        ? current === undefined
          ? operand
          : addNumbers(current, operand)
        : multiplyNumbers(current ?? 0, operand);
    if (!setPath(doc, path, next)) {
      throw serverError('PathNotViable', `Cannot create field in element for path '${path}'`);
    }
  }
}

function checkArrayTargets(doc: Document, op: string, fields: Document): void {
  for (const path of Object.keys(fields)) {
    if (path.includes('$')) continue;
    const current = getPath(doc, path);
    if (current !== undefined && !Array.isArray(current)) {
      throw serverError(
        'BadValue',
        `The field '${path}' must be an array but is of type ${typeName(current)} in document {_id: ${showValue(doc._id)}}`,
      );
    }
    if (op === '$pop' && current === undefined) continue;
  }
}
