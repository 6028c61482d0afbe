// Sort, skip, limit and projection over matched documents, with mingo doing the ordering and
// projection. Without a sort the scan stops as soon as skip + limit documents have matched.
import type { Document } from 'bson';
import { find as mingoFind } from 'mingo';
import type { DataAccess } from './data-access.ts';

export interface ShapeOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

function nonEmpty(doc: Document | undefined): Document | undefined {
  return doc && Object.keys(doc).length > 0 ? doc : undefined;
}

export function project(
  docs: Document[],
  projection: Document | undefined,
  filter: Document = {},
): Document[] {
  const spec = nonEmpty(projection);
  if (!spec) return docs;
  const positional = Object.keys(spec).some((key) => key.endsWith('.$'));
  return mingoFind(docs, positional ? filter : {}, spec).all() as Document[];
}

export function collect(access: DataAccess, ns: string, filter: Document, options: ShapeOptions): Document[] {
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const sort = nonEmpty(options.sort);
  let docs: Document[] = [];
  if (sort) {
    for (const found of access.find(ns, filter)) docs.push(found.doc);
    let cursor = mingoFind(docs, {})
      .sort(sort as never)
      .skip(skip);
    if (limit > 0) cursor = cursor.limit(limit);
    docs = cursor.all() as Document[];
  } else {
    let skipped = 0;
    for (const found of access.find(ns, filter)) {
      if (skipped < skip) {
        skipped++;
        continue;
      }
      docs.push(found.doc);
      if (limit > 0 && docs.length >= limit) break;
    }
  }
  return project(docs, options.projection, filter);
}
