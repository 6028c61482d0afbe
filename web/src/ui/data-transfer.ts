// Export and import in the browser: loaded on first use, so neither the format nor the zip code
// weighs on the first screen. The rules live in core/data-export/.
import { batch } from '@preact/signals';
import { strToU8, zipSync } from 'fflate';
import { exportCsvFiles } from '../../../core/data-export/csv.ts';
import {
  buildExport,
  exportFileName,
  MAX_EXPORT_BYTES,
  parseExport,
} from '../../../core/data-export/export-format.ts';
import { planImport } from '../../../core/data-export/import-plan.ts';
import type { AppModel } from '../app/app-model.ts';

function download(name: string, body: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has handed the blob to the download; keep the URL a moment for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportJson(app: AppModel, nowMs: number): void {
  const file = buildExport(app.view.peek().records(), new Date(nowMs).toISOString());
  download(
    exportFileName(app.today.peek(), 'json'),
    `${JSON.stringify(file, null, 1)}\n`,
    'application/json',
  );
}

export function exportCsvZip(app: AppModel, nowMs: number): void {
  const file = buildExport(app.view.peek().records(), new Date(nowMs).toISOString());
  const tables = exportCsvFiles(file);
  const zip = zipSync(
    Object.fromEntries(Object.entries(tables).map(([name, text]) => [name, strToU8(text)])),
  );
  download(exportFileName(app.today.peek(), 'zip'), zip, 'application/zip');
}

export type ImportOutcome = { ok: true; text: string } | { ok: false; text: string };

/** What an import reads and writes: the user's data and the normal mutation path. */
export type ImportTarget = Pick<AppModel, 'view' | 'mutate'>;

/** Read `file`, check it whole, then queue its mutations; refused files queue nothing. */
export async function importFile(app: ImportTarget, file: Blob, nowMs: number): Promise<ImportOutcome> {
  if (file.size > MAX_EXPORT_BYTES) {
    return {
      ok: false,
      text: `Nothing imported: the file is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB.`,
    };
  }
  const parsed = parseExport(await file.text());
  if (!parsed.ok) return { ok: false, text: `Nothing imported: ${parsed.error}` };
  const plan = planImport(parsed.file, app.view.peek(), nowMs);
  if (!plan.ok) return { ok: false, text: `Nothing imported: ${plan.error}` };
  if (plan.mutations.length === 0) {
    return { ok: true, text: 'Nothing to import: this account already has everything in the file.' };
  }
  // Every change joins the outbox in this one step, before any is stored or sent: the status counts
  // them all from the start, and cannot say "Synced" between the pushes of the first and the queueing
  // of the rest.
  await Promise.all(batch(() => plan.mutations.map((m) => app.mutate(m.name, m.args as never))));
  const n = plan.mutations.length;
  return {
    ok: true,
    text: `Imported ${n} ${n === 1 ? 'change' : 'changes'}. They sync to your other devices.`,
  };
}
