// Databases, collections and indexes: create, drop, list.
import type { Document } from 'bson';
import { Query } from 'mingo';
import { serverError } from '../errors.ts';
import { type Collection, ID_INDEX } from '../storage/collection.ts';
import { valueKey } from '../storage/keys.ts';
import type { IndexSpec } from '../storage/secondary-index.ts';
import { type CommandContext, type CommandHandler, ns } from './context.ts';

function collectionInfo(coll: Collection): Document {
  const name = coll.ns.slice(coll.ns.indexOf('.') + 1);
  if (coll.options.viewOn !== undefined)
    return { name, type: 'view', options: coll.options, info: { readOnly: true } };
  return { name, type: 'collection', options: coll.options, info: { readOnly: false }, idIndex: ID_INDEX };
}

/** Collection options whose behaviour this server lacks; accepting them would mislead. */
const UNSUPPORTED_COLLECTION_OPTIONS = ['validator', 'capped', 'timeseries', 'encryptedFields'];

const create: CommandHandler = (ctx) => {
  const { create: name, lsid: _l, $db: _d, txnNumber: _t, autocommit: _a, ...options } = ctx.body;
  const unsupported = UNSUPPORTED_COLLECTION_OPTIONS.find(
    (option) => options[option] !== undefined && options[option] !== false,
  );
  if (unsupported)
    throw serverError(
      'NotImplemented',
      `collection option "${unsupported}" is not supported by the embedded server`,
    );
  ctx.engine.applyCatalog({ c: 'createCollection', ns: ns(ctx, name), options });
  return {};
};

const drop: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.drop);
  const coll = ctx.engine.collection(target);
  if (coll) ctx.engine.applyCatalog({ c: 'dropCollection', ns: target });
  return { ns: target, nIndexesWas: coll ? coll.indexes.size + 1 : 0 };
};

const dropDatabase: CommandHandler = (ctx) => {
  ctx.engine.applyCatalog({ c: 'dropDatabase', db: ctx.db });
  return { dropped: ctx.db };
};

const listDatabases: CommandHandler = (ctx) => {
  const databases = ctx.engine.databases().map((name) => {
    const sizeOnDisk = ctx.engine
      .collectionsOf(name)
      .reduce((sum, coll) => sum + [...coll.docs.values()].reduce((s, doc) => s + doc.length, 0), 0);
    return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const filter = ctx.body.filter as Document | undefined;
  const selected = filter ? databases.filter((db) => new Query(filter).test(db)) : databases;
  const totalSize = selected.reduce((sum, db) => sum + db.sizeOnDisk, 0);
  if (ctx.body.nameOnly) return { databases: selected.map(({ name }) => ({ name })) };
  return { databases: selected, totalSize, totalSizeMb: Math.round(totalSize / 1e6) };
};

const listCollections: CommandHandler = (ctx) => {
  const filter = (ctx.body.filter ?? {}) as Document;
  const query = new Query(filter);
  const infos = ctx.engine
    .collectionsOf(ctx.db)
    .map(collectionInfo)
    .filter((info) => query.test(info))
    .map((info) => (ctx.body.nameOnly ? { name: info.name, type: info.type } : info));
  const batchSize = (ctx.body.cursor as Document | undefined)?.batchSize as number | undefined;
  return ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, { batchSize });
};

function indexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

const createIndexes: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.createIndexes);
  const created = !ctx.engine.collection(target);
  const coll = ctx.engine.ensureCollection(target);
  const before = coll.indexes.size + 1;
  for (const raw of (ctx.body.indexes ?? []) as Document[]) {
    const { key, name, ...rest } = raw;
    const spec = { v: 2, key, name: String(name ?? indexName(key as Document)), ...rest } as IndexSpec;
    if (!spec.key || Object.keys(spec.key).length === 0)
      throw serverError('BadValue', 'index key pattern is empty');
    checkIndexKey(spec.key);
    if (spec.name === '_id_' || isIdIndex(spec)) continue;
    const sameName = coll.indexes.get(spec.name);
    if (sameName) {
      if (valueKey(sameName.spec.key) !== valueKey(spec.key)) {
        throw serverError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index: ${spec.name}`,
        );
      }
      continue;
    }
    const sameKey = [...coll.indexes.values()].find(
      (index) => valueKey(index.spec.key) === valueKey(spec.key),
    );
    if (sameKey) {
      throw serverError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    ctx.engine.applyCatalog({ c: 'createIndex', ns: target, spec });
  }
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size + 1,
  };
};

function isIdIndex(spec: IndexSpec): boolean {
  const fields = Object.keys(spec.key);
  return fields.length === 1 && fields[0] === '_id';
}

const listIndexes: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.listIndexes);
  const coll = ctx.engine.collection(target);
  if (!coll) throw serverError('NamespaceNotFound', `ns does not exist: ${target}`);
  const batchSize = (ctx.body.cursor as Document | undefined)?.batchSize as number | undefined;
  return ctx.cursors.open(target, coll.indexSpecs(), { batchSize });
};

const dropIndexes: CommandHandler = (ctx: CommandContext) => {
  const target = ns(ctx, ctx.body.dropIndexes ?? ctx.body.deleteIndexes);
  const coll = ctx.engine.collection(target);
  if (!coll) throw serverError('NamespaceNotFound', `ns not found ${target}`);
  const was = coll.indexes.size + 1;
  const requested: unknown = ctx.body.index;
  const names =
    requested === '*'
      ? [...coll.indexes.keys()]
      : Array.isArray(requested)
        ? requested.map(String)
        : typeof requested === 'string'
          ? [requested]
          : [...coll.indexes.values()]
              .filter((i) => valueKey(i.spec.key) === valueKey(requested))
              .map((i) => i.name);
  if (names.length === 0)
    throw serverError('IndexNotFound', `can't find index with key: ${JSON.stringify(requested)}`);
  for (const name of names) {
    if (name !== '_id_' && !coll.indexes.has(name))
      throw serverError('IndexNotFound', `index not found with name [${name}]`);
    ctx.engine.applyCatalog({ c: 'dropIndex', ns: target, name });
  }
  return { nIndexesWas: was };
};

const renameCollection: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin')
    throw serverError('Unauthorized', 'renameCollection may only be run against the admin database.');
  const from = String(ctx.body.renameCollection);
  const to = String(ctx.body.to);
  ctx.engine.applyCatalog({ c: 'renameCollection', from, to, dropTarget: ctx.body.dropTarget === true });
  return {};
};

const SUPPORTED_INDEX_TYPES = new Set(['hashed']);

function checkIndexKey(key: Document): void {
  for (const [field, kind] of Object.entries(key)) {
    if (typeof kind === 'number' || (typeof kind === 'string' && SUPPORTED_INDEX_TYPES.has(kind))) continue;
    throw serverError(
      'NotImplemented',
      `index type ${JSON.stringify(kind)} on '${field}' is not supported by the embedded server`,
    );
  }
}

const dbStats: CommandHandler = (ctx) => {
  const colls = ctx.engine.collectionsOf(ctx.db);
  const objects = colls.reduce((sum, coll) => sum + coll.docs.size, 0);
  const indexes = colls.reduce((sum, coll) => sum + coll.indexes.size + 1, 0);
  const dataSize = colls.reduce(
    (sum, coll) => sum + [...coll.docs.values()].reduce((s, doc) => s + doc.length, 0),
    0,
  );
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    indexes,
    dataSize,
    storageSize: dataSize,
  };
};

export const catalogCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropdatabase: dropDatabase,
  listdatabases: listDatabases,
  listcollections: listCollections,
  createindexes: createIndexes,
  listindexes: listIndexes,
  dropindexes: dropIndexes,
  deleteindexes: dropIndexes,
  dbstats: dbStats,
  renamecollection: renameCollection,
};
