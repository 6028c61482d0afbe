// A small runner for MongoDB's unified CRUD conformance tests (see ../shared/mongo-spec/README.md):
// entities from createEntities, initialData loaded, operations run through the official driver,
// expectResult / expectError / outcome checked. Anything the embedded server deliberately lacks is
// reported as a skip reason instead of being run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON } from 'bson';
import {
  type Collection,
  type Db,
  type Document,
  MongoClient,
  MongoServerError,
  ReadPreference,
} from 'mongodb';
import { mismatch } from './match.ts';
import { invoke } from './operations.ts';
import { refusalOf } from './refused.ts';

export interface SpecTest {
  description: string;
  runOnRequirements?: Document[];
  operations: Document[];
  outcome?: Document[];
  expectEvents?: Document[];
}

export interface SpecFile {
  name: string;
  runOnRequirements?: Document[];
  createEntities: Document[];
  initialData?: Document[];
  tests: SpecTest[];
}

export const SERVER_VERSION = [7, 0, 0];
const TOPOLOGY = 'replicaset';

export function loadSpecFiles(dir: string): SpecFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map(
      (file) =>
        ({
          name: file,
          ...(EJSON.parse(readFileSync(join(dir, file), 'utf8'), { relaxed: true }) as object),
        }) as SpecFile,
    );
}

function versionOf(text: string): number[] {
  return text.split('.').map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function requirementMiss(requirement: Document): string | undefined {
  if (
    requirement.minServerVersion &&
    compareVersions(SERVER_VERSION, versionOf(requirement.minServerVersion)) < 0
  ) {
    return `needs server ≥ ${requirement.minServerVersion}`;
  }
  if (
    requirement.maxServerVersion &&
    compareVersions(SERVER_VERSION, versionOf(requirement.maxServerVersion)) > 0
  ) {
    return `needs server ≤ ${requirement.maxServerVersion} (the embedded server is 7.0)`;
  }
  if (requirement.topologies && !requirement.topologies.includes(TOPOLOGY)) {
    return `needs topology ${requirement.topologies.join('/')}`;
  }
  if (requirement.serverless === 'require') return 'needs serverless';
  if (requirement.auth === true) return 'needs authentication';
  if (requirement.serverParameters) return 'needs server parameters';
  return undefined;
}

/** Why this test cannot run against the embedded server, or undefined if it must pass. */
export function skipReason(file: SpecFile, test: SpecTest): string | undefined {
  for (const requirements of [file.runOnRequirements, test.runOnRequirements]) {
    if (!requirements || requirements.length === 0) continue;
    const misses = requirements.map(requirementMiss);
    if (misses.every((miss) => miss !== undefined)) return `runOnRequirements: ${misses.join('; ')}`;
  }
  const refusal = refusalOf({ file: file.name, description: test.description, operations: test.operations });
  return refusal ? `refused by design: ${refusal.feature}` : undefined;
}

interface Entities {
  clients: MongoClient[];
  /** commandStartedEvent / commandSucceededEvent / commandFailedEvent per observing client id. */
  events: Map<string, Document[]>;
  databases: Map<string, Db>;
  collections: Map<string, Collection>;
}

async function createEntities(uri: string, file: SpecFile): Promise<Entities> {
  const entities: Entities = { clients: [], events: new Map(), databases: new Map(), collections: new Map() };
  const clients = new Map<string, MongoClient>();
  for (const entity of file.createEntities) {
    if (entity.client) {
      const observe = (entity.client.observeEvents ?? []) as string[];
      const client = new MongoClient(uri, {
        ...(entity.client.uriOptions ?? {}),
        monitorCommands: observe.length > 0,
      });
      if (observe.length > 0) entities.events.set(entity.client.id, observeCommands(client, observe));
      clients.set(entity.client.id, client);
      entities.clients.push(client);
    } else if (entity.database) {
      const client = clients.get(entity.database.client)!;
      entities.databases.set(
        entity.database.id,
        client.db(entity.database.databaseName, entityOptions(entity.database.databaseOptions)),
      );
    } else if (entity.collection) {
      const db = entities.databases.get(entity.collection.database)!;
      entities.collections.set(
        entity.collection.id,
        db.collection(entity.collection.collectionName, entityOptions(entity.collection.collectionOptions)),
      );
    }
  }
  return entities;
}

/** Database / collection options of the format, as the driver takes them. */
function entityOptions(options: Document | undefined): Document {
  if (!options) return {};
  const { readPreference, ...rest } = options;
  if (!readPreference) return rest;
  const { mode, tags, ...preferenceOptions } = readPreference as Document;
  return { ...rest, readPreference: new ReadPreference(mode, tags, preferenceOptions) };
}

/** Operations whose result is an iterable of documents, each matched as a root-level document. */
const ITERABLE_RESULTS = new Set(['find', 'aggregate', 'listIndexes', 'listCollections']);

async function loadInitialData(client: MongoClient, file: SpecFile): Promise<void> {
  for (const data of file.initialData ?? []) {
    const db = client.db(data.databaseName);
    await db.dropCollection(data.collectionName).catch(() => undefined);
    await db.createCollection(data.collectionName);
    if (data.documents.length > 0) await db.collection(data.collectionName).insertMany(data.documents);
  }
}

export async function runSpecTest(uri: string, file: SpecFile, test: SpecTest): Promise<void> {
  const setup = new MongoClient(uri);
  const entities = await createEntities(uri, file);
  try {
    await loadInitialData(setup, file);
    for (const events of entities.events.values()) events.length = 0;
    for (const [index, operation] of test.operations.entries())
      await runOperation(entities, operation, index);
    for (const expected of test.expectEvents ?? [])
      checkEvents(expected, entities.events.get(expected.client) ?? []);
    for (const expected of test.outcome ?? []) {
      const actual = await setup
        .db(expected.databaseName)
        .collection(expected.collectionName)
        .find()
        .sort({ _id: 1 })
        .toArray();
      const problem = mismatch(expected.documents, actual, false, `outcome ${expected.collectionName}`);
      if (problem) throw new Error(problem);
    }
  } finally {
    await Promise.all([setup.close(), ...entities.clients.map((client) => client.close())]);
  }
}

async function runOperation(entities: Entities, operation: Document, index: number): Promise<void> {
  let result: unknown;
  let error: unknown;
  try {
    result = await invoke(entities, operation);
  } catch (err) {
    error = err;
  }
  const where = `operation ${index} (${operation.name})`;
  if (operation.expectError) {
    if (error === undefined) throw new Error(`${where}: expected an error, got ${JSON.stringify(result)}`);
    checkError(where, operation.expectError, error);
    return;
  }
  if (error !== undefined) throw new Error(`${where}: unexpected error: ${String(error)}`, { cause: error });
  if (operation.expectResult !== undefined) {
    const problem =
      ITERABLE_RESULTS.has(operation.name) && Array.isArray(operation.expectResult) && Array.isArray(result)
        ? iterableMismatch(operation.expectResult, result)
        : mismatch(operation.expectResult, result);
    if (problem) throw new Error(`${where}: result mismatch at ${problem}; got ${EJSON.stringify(result)}`);
  }
}

function iterableMismatch(expected: unknown[], actual: unknown[]): string | undefined {
  if (expected.length !== actual.length)
    return `$: expected ${expected.length} documents, got ${actual.length}`;
  for (const [index, item] of expected.entries()) {
    const problem = mismatch(item, actual[index], true, `$[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function checkError(where: string, expected: Document, error: unknown): void {
  const server = error instanceof MongoServerError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (expected.isClientError === true && server)
    throw new Error(`${where}: expected a client error, got ${message}`);
  if (expected.isClientError === false && !server)
    throw new Error(`${where}: expected a server error, got ${message}`);
  if (expected.errorCode !== undefined && server?.code !== expected.errorCode) {
    throw new Error(
      `${where}: expected code ${expected.errorCode}, got ${String(server?.code)} (${message})`,
    );
  }
  if (expected.errorCodeName !== undefined && server?.codeName !== expected.errorCodeName) {
    throw new Error(`${where}: expected ${expected.errorCodeName}, got ${String(server?.codeName)}`);
  }
  if (
    expected.errorContains &&
    !message.toLowerCase().includes(String(expected.errorContains).toLowerCase())
  ) {
    throw new Error(`${where}: error "${message}" does not contain "${expected.errorContains}"`);
  }
  for (const label of expected.errorLabelsContain ?? []) {
    if (!server?.hasErrorLabel(label)) throw new Error(`${where}: error lacks label ${label}`);
  }
  if (expected.expectResult !== undefined) {
    const partial =
      (server as { result?: unknown } | undefined)?.result ??
      (error as { errorResponse?: unknown }).errorResponse;
    const problem = mismatch(expected.expectResult, partial);
    if (problem) throw new Error(`${where}: error result mismatch at ${problem}`);
  }
}

/** Commands the unified format never reports (handshakes, authentication, failpoints). */
const UNOBSERVED = new Set([
  'hello',
  'ismaster',
  'saslstart',
  'saslcontinue',
  'configurefailpoint',
  'endsessions',
]);

function observeCommands(client: MongoClient, observe: string[]): Document[] {
  const events: Document[] = [];
  const record = (type: string, payload: (event: Document) => Document) => (event: Document) => {
    if (observe.includes(type) && !UNOBSERVED.has(String(event.commandName).toLowerCase())) {
      events.push({ [type]: payload(event) });
    }
  };
  client.on(
    'commandStarted',
    record('commandStartedEvent', (e) => ({
      command: e.command,
      commandName: e.commandName,
      databaseName: e.databaseName,
    })),
  );
  client.on(
    'commandSucceeded',
    record('commandSucceededEvent', (e) => ({ reply: e.reply, commandName: e.commandName })),
  );
  client.on(
    'commandFailed',
    record('commandFailedEvent', (e) => ({ commandName: e.commandName })),
  );
  return events;
}

function checkEvents(expected: Document, actual: Document[]): void {
  if (expected.eventType && expected.eventType !== 'command') return;
  const events = expected.events as Document[];
  const seen = expected.ignoreExtraEvents ? actual.slice(0, events.length) : actual;
  const where = `events of ${expected.client}`;
  const fail = (problem: string) => new Error(`${where}: ${problem}; got ${EJSON.stringify(seen)}`);
  if (seen.length !== events.length) throw fail(`expected ${events.length} events, got ${seen.length}`);
  for (const [index, event] of events.entries()) {
    const [type] = Object.keys(event);
    const actual = seen[index]?.[type ?? ''] as Document | undefined;
    if (!type || !actual) throw fail(`event ${index} is not a ${type}`);
    // Each event's command / reply document is a root document: extra fields (lsid, $db…) pass.
    for (const [field, value] of Object.entries(event[type] as Document)) {
      const problem = mismatch(
        value,
        actual[field],
        field === 'command' || field === 'reply',
        `[${index}].${field}`,
      );
      if (problem) throw fail(problem);
    }
  }
}
