// The export as CSV, one table per collection, for spreadsheets. Import reads the JSON file only.
import type { ExportFile } from './export-format.ts';

type Cell = string | number | boolean | null | undefined;

/**
 * One RFC 4180 field. Text a spreadsheet would run as a formula (starting with = + - @ or a tab or
 * carriage return) gets a leading apostrophe, so a hostile task title cannot execute on opening.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV table: a header line, then one line per row, each ended by CRLF. */
export function csvTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The CSV file of each collection, by file name. */
export function exportCsvFiles(file: ExportFile): Record<string, string> {
  const settings = file.settings;
  return {
    'tasks.csv': csvTable(
      ['id', 'title', 'points', 'schedule', 'weekdays', 'createdOn', 'archived', 'archivedOn', 'order'],
      file.tasks.map((t) => [
        t.id,
        t.title,
        t.points,
        scheduleText(t.schedule),
        t.weekdays.join(' '),
        t.createdOn,
        t.archived,
        t.archivedOn,
        t.order,
      ]),
    ),
    'completions.csv': csvTable(
      ['taskId', 'date', 'status', 'points'],
      file.completions.map((c) => [c.taskId, c.date, c.status, c.points]),
    ),
    'weights.csv': csvTable(
      ['date', 'value', 'unit'],
      file.weights.map((w) => [w.date, w.value, w.unit]),
    ),
    'settings.csv': csvTable(
      ['unit', 'weekStart', 'timeZone'],
      settings ? [[settings.unit, settings.weekStart, settings.timeZone]] : [],
    ),
  };
}

function scheduleText(schedule: ExportFile['tasks'][number]['schedule']): string {
  if (!schedule || schedule.kind === 'weekdays') return 'weekdays';
  return schedule.kind === 'timesPerWeek'
    ? `${schedule.times} times per week`
    : `every ${schedule.days} days`;
}
