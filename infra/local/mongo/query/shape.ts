// Sort, skip, limit and projection over matched documents, with mingo doing the ordering and
// projection. Without a sort the scan stops as soon as skip + limit documents have matched.
import type { Document } from 'bson';
import type { DataAccess } from './data-access.ts';
import { projectDocs, sortedDocs } from './mingo-options.ts';
import { hasWideNumbers, matchView, numericView, restoreTypes } from './numeric-view.ts';

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
  const views = docs.map(matchView);
  const query = positional ? matchView(filter) : {};
  // Every document already matched the filter, so the output lines up with the input one to one.
  const projected = projectDocs(views, query, matchView(spec)) as Document[];
  return projected.map((doc, index) => {
    const original = docs[index] ?? {};
    return inDocumentOrder(original, restoreTypes(original, views[index] ?? {}, doc));
  });
}

/** MongoDB keeps the stored field order (so `_id` first); mingo appends `_id` last. */
function inDocumentOrder(original: Document, projected: Document): Document {
  const ordered: Document = {};
  for (const key of Object.keys(original)) if (key in projected) ordered[key] = projected[key];
  for (const key of Object.keys(projected)) if (!(key in ordered)) ordered[key] = projected[key];
  return ordered;
}

/** Matches in natural order after `skip`, up to `limit`; stops scanning once the limit is met. */
export function* scan(
  access: DataAccess,
  ns: string,
  filter: Document,
  options: ShapeOptions,
): Generator<Document> {
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  let skipped = 0;
  let taken = 0;
  for (const found of access.find(ns, filter)) {
    if (skipped < skip) {
      skipped++;
      continue;
    }
    yield found.doc;
    taken++;
    if (limit > 0 && taken >= limit) return;
  }
}

export function collect(access: DataAccess, ns: string, filter: Document, options: ShapeOptions): Document[] {
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const sort = nonEmpty(options.sort);
  let docs: Document[] = [];
  if (sort) {
    for (const found of access.find(ns, filter)) docs.push(found.doc);
    docs = sortDocs(docs, sort);
    docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
  } else {
    docs = [...scan(access, ns, filter, options)];
  }
  return project(docs, options.projection, filter);
}

/** mingo's sort, over numeric views when documents hold Long/Decimal128 (see numeric-view.ts). */
export function sortDocs(docs: Document[], sort: Document): Document[] {
  if (!docs.some(hasWideNumbers)) return sortedDocs(docs, sort);
  const views = docs.map((doc, index) => ({ v: numericView(doc), index }));
  const spec = Object.fromEntries(Object.entries(sort).map(([path, direction]) => [`v.${path}`, direction]));
  const sorted = sortedDocs(views, spec);
  return sorted.map((view) => docs[view.index]!);
}
