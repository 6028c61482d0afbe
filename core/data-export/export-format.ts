// The export file: every live record of one account, versioned, readable back by `planImport`.
// Records keep their ids and stamps, so an import can tell which side is newer (docs/architecture.md,
// "Export and import").
import * as v from 'valibot';
import type { LocalDate } from '../dates.ts';
import type { Change } from '../records.ts';
import {
  type Completion,
  completionSchema,
  isTombstone,
  type Settings,
  settingsSchema,
  type Task,
  taskSchema,
  type Weight,
  weightSchema,
} from '../schemas/record-schemas.ts';

export const EXPORT_FORMAT = 'routine-sync-export';
export const EXPORT_VERSION = 1;
/** Refused before parsing: ten years of twenty daily habits is well under 20 MB. */
export const MAX_EXPORT_BYTES = 20 * 1024 * 1024;
const MAX_RECORDS = 200_000;

const NOT_AN_EXPORT = `Not a routine-sync export (format must be "${EXPORT_FORMAT}").`;
const WRONG_VERSION = `Only version ${EXPORT_VERSION} exports can be imported.`;

export const exportFileSchema = v.object({
  format: v.literal(EXPORT_FORMAT, NOT_AN_EXPORT),
  version: v.literal(EXPORT_VERSION, WRONG_VERSION),
  exportedAt: v.pipe(v.string(), v.isoTimestamp()),
  tasks: v.pipe(v.array(taskSchema), v.maxLength(10_000)),
  completions: v.pipe(v.array(completionSchema), v.maxLength(MAX_RECORDS)),
  weights: v.pipe(v.array(weightSchema), v.maxLength(MAX_RECORDS)),
  settings: v.nullable(settingsSchema),
});
export type ExportFile = v.InferOutput<typeof exportFileSchema>;

/** The file name of an export made on `date`. */
export function exportFileName(date: LocalDate, extension: 'json' | 'zip'): string {
  return extension === 'json' ? `routine-sync-export-${date}.json` : `routine-sync-export-${date}-csv.zip`;
}

/** The export of `records` (tombstones are left out: a file describes what exists). */
export function buildExport(records: Iterable<Change>, exportedAt: string): ExportFile {
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    tasks: [],
    completions: [],
    weights: [],
    settings: null,
  };
  for (const { collection, record } of records) {
    if (isTombstone(record)) continue;
    if (collection === 'tasks') file.tasks.push(record as Task);
    else if (collection === 'completions') file.completions.push(record as Completion);
    else if (collection === 'weights') file.weights.push(record as Weight);
    else file.settings = record as Settings;
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  file.tasks.sort(byId);
  file.completions.sort(byId);
  file.weights.sort(byId);
  return file;
}

export type ParseExportResult = { ok: true; file: ExportFile } | { ok: false; error: string };

/** Read an export file's text; every refusal says what is wrong, and where. */
export function parseExport(text: string): ParseExportResult {
  if (text.length > MAX_EXPORT_BYTES) {
    return { ok: false, error: `The file is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The file is not JSON: choose a routine-sync export (.json).' };
  }
  if (!isExportShaped(json)) return { ok: false, error: NOT_AN_EXPORT };
  if (json.version !== EXPORT_VERSION) return { ok: false, error: WRONG_VERSION };
  const result = v.safeParse(exportFileSchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
  }
  const duplicate = firstDuplicateId(result.output);
  if (duplicate) return { ok: false, error: `${duplicate} appears twice in the file.` };
  return { ok: true, file: result.output };
}

function isExportShaped(json: unknown): json is { format: string; version?: unknown } {
  return (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    'format' in json &&
    json.format === EXPORT_FORMAT
  );
}

function firstDuplicateId(file: ExportFile): string | undefined {
  for (const name of ['tasks', 'completions', 'weights'] as const) {
    const seen = new Set<string>();
    for (const record of file[name]) {
      if (seen.has(record.id)) return `${name} ${record.id}`;
      seen.add(record.id);
    }
  }
  return undefined;
}
