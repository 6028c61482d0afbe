// Unified-format operation names mapped onto the official driver's API.
import type { Collection, Db, Document } from 'mongodb';

interface EntityMaps {
  databases: Map<string, Db>;
  collections: Map<string, Collection>;
}

function options(args: Document, ...positional: string[]): Document {
  const rest: Document = {};
  for (const [key, value] of Object.entries(args)) if (!positional.includes(key)) rest[key] = value;
  if (typeof rest.returnDocument === 'string') rest.returnDocument = rest.returnDocument.toLowerCase();
  return rest;
}

type CollectionOp = (coll: Collection, args: Document) => Promise<unknown>;

const collectionOps: Record<string, CollectionOp> = {
  insertOne: (c, a) => c.insertOne(a.document, options(a, 'document')),
  insertMany: (c, a) => c.insertMany(a.documents, options(a, 'documents')),
  bulkWrite: (c, a) => c.bulkWrite(a.requests, options(a, 'requests')),
  createIndex: (c, a) => c.createIndex(a.keys, options(a, 'keys')),
  dropIndex: (c, a) => c.dropIndex(a.name, options(a, 'name')),
  dropIndexes: (c, a) => c.dropIndexes(options(a)),
  listIndexes: (c, a) => c.listIndexes(options(a)).toArray(),
  drop: (c, a) => c.drop(options(a)),
  rename: (c, a) => c.rename(a.to, options(a, 'to')),
  find: (c, a) => c.find(a.filter ?? {}, options(a, 'filter')).toArray(),
  findOne: (c, a) => c.findOne(a.filter ?? {}, options(a, 'filter')),
  aggregate: (c, a) => c.aggregate(a.pipeline, options(a, 'pipeline')).toArray(),
  countDocuments: (c, a) => c.countDocuments(a.filter ?? {}, options(a, 'filter')),
  estimatedDocumentCount: (c, a) => c.estimatedDocumentCount(options(a)),
  count: (c, a) => c.count(a.filter ?? {}, options(a, 'filter')),
  distinct: (c, a) => c.distinct(a.fieldName, a.filter ?? {}, options(a, 'fieldName', 'filter')),
  deleteOne: (c, a) => c.deleteOne(a.filter, options(a, 'filter')),
  deleteMany: (c, a) => c.deleteMany(a.filter, options(a, 'filter')),
  updateOne: (c, a) => c.updateOne(a.filter, a.update, options(a, 'filter', 'update')),
  updateMany: (c, a) => c.updateMany(a.filter, a.update, options(a, 'filter', 'update')),
  replaceOne: (c, a) => c.replaceOne(a.filter, a.replacement, options(a, 'filter', 'replacement')),
  findOneAndUpdate: (c, a) => c.findOneAndUpdate(a.filter, a.update, options(a, 'filter', 'update')),
  findOneAndReplace: (c, a) =>
    c.findOneAndReplace(a.filter, a.replacement, options(a, 'filter', 'replacement')),
  findOneAndDelete: (c, a) => c.findOneAndDelete(a.filter, options(a, 'filter')),
};

type DatabaseOp = (db: Db, args: Document) => Promise<unknown>;

const databaseOps: Record<string, DatabaseOp> = {
  createCollection: (db, a) => db.createCollection(a.collection, options(a, 'collection')),
  dropCollection: (db, a) => db.dropCollection(a.collection, options(a, 'collection')),
  runCommand: (db, a) => db.command(a.command),
  aggregate: (db, a) => db.aggregate(a.pipeline, options(a, 'pipeline')).toArray(),
  listCollections: (db, a) => db.listCollections(a.filter ?? {}, options(a, 'filter')).toArray(),
  listCollectionNames: async (db, a) =>
    (await db.listCollections(a.filter ?? {}, { nameOnly: true }).toArray()).map((info) => info.name),
};

export async function invoke(entities: EntityMaps, operation: Document): Promise<unknown> {
  const args = (operation.arguments ?? {}) as Document;
  const collection = entities.collections.get(operation.object);
  if (collection) {
    const op = collectionOps[operation.name];
    if (!op) throw new Error(`runner: collection operation ${operation.name} is not implemented`);
    return op(collection, args);
  }
  const db = entities.databases.get(operation.object);
  if (db) {
    const op = databaseOps[operation.name];
    if (!op) throw new Error(`runner: database operation ${operation.name} is not implemented`);
    return op(db, args);
  }
  throw new Error(`runner: unknown entity ${operation.object}`);
}
