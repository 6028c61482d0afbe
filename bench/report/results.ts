// Reading bench/results/*.json: every file validated, with the time it was written (its mtime), so
// the report can say which figures come from this run and which are older.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';

const metricSchema = v.object({
  // NaN (no samples) is written by JSON.stringify as null.
  value: v.nullable(v.number()),
  unit: v.string(),
  target: v.optional(v.string()),
});
const resultSchema = v.object({ name: v.string(), metrics: v.record(v.string(), metricSchema) });

export type StoredMetric = v.InferOutput<typeof metricSchema>;
export interface StoredResult {
  name: string;
  metrics: Record<string, StoredMetric>;
  writtenAt: Date;
}

export async function readResults(dir: string): Promise<StoredResult[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const results: StoredResult[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const parsed = v.safeParse(resultSchema, JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) {
      console.warn(`[report] skipping ${file}: not a benchmark result (${parsed.issues[0]?.message})`);
      continue;
    }
    results.push({ ...parsed.output, writtenAt: (await stat(path)).mtime });
  }
  return results;
}
