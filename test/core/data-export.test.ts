// Export and import: the file format, the CSV tables, and the merge an import plans.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, exportCsvFiles } from '../../core/data-export/csv.ts';
import {
  buildExport,
  type ExportFile,
  exportFileName,
  MAX_EXPORT_BYTES,
  parseExport,
} from '../../core/data-export/export-format.ts';
import { planImport } from '../../core/data-export/import-plan.ts';
import { addDays } from '../../core/dates.ts';
import { MemoryTx } from '../../core/store.ts';
import { type Device, device, NOW_MS, taskId } from './fixtures.ts';

const EXPORTED_AT = '2026-06-15T12:00:00.000Z';

/** A small account: two tasks (one archived, with history), marks, weights and changed settings. */
function sampleAccount(a: Device): MemoryTx {
  const tx = new MemoryTx();
  a.apply(tx, 'createTask', {
    id: taskId(1),
    title: 'Run',
    points: 3,
    weekdays: [1, 3],
    createdOn: '2026-06-01',
    order: 0,
  });
  a.apply(tx, 'createTask', {
    id: taskId(2),
    title: 'Read, "slowly"',
    points: 1,
    weekdays: [0],
    schedule: { kind: 'everyNDays', days: 2 },
    createdOn: '2026-06-01',
    order: 1,
  });
  a.apply(tx, 'completeTask', { taskId: taskId(1), date: '2026-06-03', points: 3 });
  a.apply(tx, 'skipTask', { taskId: taskId(1), date: '2026-06-08' });
  a.apply(tx, 'completeTask', { taskId: taskId(2), date: '2026-06-05' });
  a.apply(tx, 'archiveTask', { id: taskId(2), date: '2026-06-10' });
  a.apply(tx, 'logWeight', { date: '2026-06-02', value: 71.5, unit: 'kg' });
  a.apply(tx, 'updateSettings', { weekStart: 0, timeZone: 'Europe/Paris' });
  return tx;
}

/** Apply a plan as the client would: each mutation stamped by `d`. */
function importInto(tx: MemoryTx, file: ExportFile, d: Device): number {
  const plan = planImport(file, tx, NOW_MS);
  if (!plan.ok) throw new Error(plan.error);
  for (const m of plan.mutations) d.apply(tx, m.name, m.args as never);
  return plan.mutations.length;
}

/** The records without their stamps: what a user would call "the same data". */
function content(file: ExportFile): unknown {
  const { hlc: _h, clocks: _c, ...settings } = file.settings ?? { hlc: '', clocks: {} };
  return {
    tasks: file.tasks.map(({ hlc: _x, clocks: _y, ...t }) => t),
    completions: file.completions.map(({ hlc: _x, ...c }) => c),
    weights: file.weights.map(({ hlc: _x, ...w }) => w),
    settings,
  };
}

function exportOf(tx: MemoryTx): ExportFile {
  return buildExport(tx.changes(), EXPORTED_AT);
}

describe('export → import into a new account → export', () => {
  it('gives the same records, and a second import of the file changes nothing', () => {
    const original = exportOf(sampleAccount(device('aaaa')));
    const fresh = new MemoryTx();
    const b = device('bbbb', NOW_MS + 1000);
    expect(importInto(fresh, original, b)).toBeGreaterThan(0);
    expect(content(exportOf(fresh))).toEqual(content(original));
    const before = JSON.stringify(exportOf(fresh));
    expect(importInto(fresh, original, b)).toBe(0);
    expect(JSON.stringify(exportOf(fresh))).toBe(before);
  });

  it('survives being written out and parsed back', () => {
    const file = exportOf(sampleAccount(device('aaaa')));
    const parsed = parseExport(JSON.stringify(file));
    expect(parsed).toEqual({ ok: true, file });
  });

  it('changes nothing when imported into the account it came from', () => {
    const tx = sampleAccount(device('aaaa'));
    expect(planImport(exportOf(tx), tx, NOW_MS)).toEqual({ ok: true, mutations: [] });
  });
});

describe('the merge', () => {
  it('keeps edits made after the export (an old backup never wins)', () => {
    const a = device('aaaa');
    const tx = sampleAccount(a);
    const backup = exportOf(tx);
    a.apply(tx, 'editTask', { id: taskId(1), title: 'Run far' });
    a.apply(tx, 'uncompleteTask', { taskId: taskId(1), date: '2026-06-03' });
    a.apply(tx, 'logWeight', { date: '2026-06-02', value: 70, unit: 'kg' });
    a.apply(tx, 'updateSettings', { unit: 'lb' });
    expect(planImport(backup, tx, NOW_MS)).toEqual({ ok: true, mutations: [] });
  });

  it('takes the newer fields of a file into an account that has older ones', () => {
    const a = device('aaaa');
    const source = sampleAccount(a);
    const target = new MemoryTx();
    const b = device('bbbb', NOW_MS + 1000);
    importInto(target, exportOf(source), b);
    a.clock.observe(b.clock.latest());
    a.apply(source, 'editTask', { id: taskId(1), points: 5 });
    a.apply(source, 'archiveTask', { id: taskId(2), date: '2026-06-10', archived: false });
    a.apply(source, 'logWeight', { date: '2026-06-04', value: 72, unit: 'kg' });
    const plan = planImport(exportOf(source), target, NOW_MS);
    expect(plan.ok && plan.mutations.map((m) => m.name)).toEqual(['editTask', 'logWeight', 'archiveTask']);
    importInto(target, exportOf(source), b);
    expect(content(exportOf(target))).toEqual(content(exportOf(source)));
  });

  it('adds to a non-empty account and keeps what the file does not mention', () => {
    const a = device('aaaa');
    const target = new MemoryTx();
    a.apply(target, 'createTask', {
      id: taskId(9),
      title: 'Mine',
      points: 2,
      weekdays: [2],
      createdOn: '2026-06-01',
      order: 0,
    });
    importInto(target, exportOf(sampleAccount(device('bbbb'))), a);
    expect(exportOf(target).tasks.map((t) => t.title)).toEqual(['Run', 'Read, "slowly"', 'Mine']);
  });
});

describe('refused files', () => {
  const good = () => exportOf(sampleAccount(device('aaaa')));
  const refusal = (text: string) => {
    const result = parseExport(text);
    return result.ok ? 'accepted' : result.error;
  };

  it('says what is wrong, and where', () => {
    expect(refusal('name,date\n')).toMatch(/not JSON/);
    expect(refusal(JSON.stringify({ ...good(), format: 'other' }))).toMatch(/Not a routine-sync export/);
    expect(refusal(JSON.stringify({ ...good(), version: 2 }))).toBe(
      'Only version 1 exports can be imported.',
    );
    expect(refusal('[]')).toMatch(/Not a routine-sync export/);
    expect(refusal('null')).toMatch(/Not a routine-sync export/);
    const long = good();
    long.tasks[0] = { ...long.tasks[0]!, title: 'x'.repeat(121) };
    expect(refusal(JSON.stringify(long))).toBe('tasks.0.title: The title must be at most 120 characters.');
    const twice = good();
    twice.weights.push(twice.weights[0]!);
    expect(refusal(JSON.stringify(twice))).toBe('weights 2026-06-02 appears twice in the file.');
    expect(refusal(' '.repeat(MAX_EXPORT_BYTES + 1))).toMatch(/larger than 20 MB/);
  });

  it('refuses the whole file when one mutation would be refused, and names the record', () => {
    const orphan = good();
    orphan.tasks = orphan.tasks.filter((t) => t.id !== taskId(1));
    expect(planImport(orphan, new MemoryTx(), NOW_MS)).toEqual({
      ok: false,
      error: `completions ${taskId(1)}:2026-06-03: its task is neither in the file nor the account.`,
    });
    const early = good();
    early.completions[0] = { ...early.completions[0]!, id: `${taskId(1)}:2026-05-01`, date: '2026-05-01' };
    const plan = planImport(early, new MemoryTx(), NOW_MS);
    expect(plan).toEqual({
      ok: false,
      error: expect.stringMatching(/^completions .*2026-05-01: The task did not exist yet/),
    });
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  it('writes one table per collection', () => {
    const files = exportCsvFiles(exportOf(sampleAccount(device('aaaa'))));
    expect(Object.keys(files)).toEqual(['tasks.csv', 'completions.csv', 'weights.csv', 'settings.csv']);
    expect(files['tasks.csv']?.split('\r\n')[2]).toBe(
      `${taskId(2)},"Read, ""slowly""",1,every 2 days,0,2026-06-01,true,2026-06-10,1`,
    );
    expect(files['weights.csv']).toBe('date,value,unit\r\n2026-06-02,71.5,kg\r\n');
    expect(files['settings.csv']).toBe('unit,weekStart,timeZone\r\nkg,0,Europe/Paris\r\n');
  });

  it('names files by date', () => {
    expect(exportFileName('2026-12-07', 'json')).toBe('routine-sync-export-2026-12-07.json');
    expect(exportFileName('2026-12-07', 'zip')).toBe('routine-sync-export-2026-12-07-csv.zip');
  });
});

describe('properties', () => {
  const op = fc.oneof(
    fc.record({
      kind: fc.constantFrom('complete', 'skip', 'clear'),
      task: fc.integer({ min: 1, max: 3 }),
      day: fc.integer({ min: 0, max: 13 }),
    }),
    fc.record({
      kind: fc.constant('weight'),
      day: fc.integer({ min: 0, max: 13 }),
      value: fc.integer({ min: 500, max: 1500 }),
    }),
    fc.record({
      kind: fc.constant('archive'),
      task: fc.integer({ min: 1, max: 3 }),
      day: fc.integer({ min: 0, max: 13 }),
    }),
    fc.record({
      kind: fc.constant('title'),
      task: fc.integer({ min: 1, max: 3 }),
      title: fc.string({ minLength: 1, maxLength: 20 }),
    }),
  );

  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  function account(ops: Op[]): MemoryTx {
    const a = device('aaaa');
    const tx = new MemoryTx();
    for (const n of [1, 2, 3]) {
      a.apply(tx, 'createTask', {
        id: taskId(n),
        title: `Task ${n}`,
        points: n,
        weekdays: [0, 1, 2, 3, 4, 5, 6],
        createdOn: '2026-06-01',
        order: n,
      });
    }
    for (const o of ops) {
      const date = addDays('2026-06-01', 'day' in o ? o.day : 0);
      try {
        if (o.kind === 'weight') a.apply(tx, 'logWeight', { date, value: o.value / 10, unit: 'kg' });
        else if (o.kind === 'archive') a.apply(tx, 'archiveTask', { id: taskId(o.task), date });
        else if (o.kind === 'title') a.apply(tx, 'editTask', { id: taskId(o.task), title: o.title });
        else if (o.kind === 'clear') a.apply(tx, 'uncompleteTask', { taskId: taskId(o.task), date });
        else
          a.apply(tx, o.kind === 'complete' ? 'completeTask' : 'skipTask', { taskId: taskId(o.task), date });
      } catch {
        // A refused mutation (blank title, a mark on an archived task) leaves the account as it was.
      }
    }
    return tx;
  }

  it('any account round-trips through a fresh account, and a re-import is a no-op', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const original = exportOf(account(ops));
        const fresh = new MemoryTx();
        importInto(fresh, original, device('bbbb', NOW_MS + 1000));
        expect(content(exportOf(fresh))).toEqual(content(original));
        expect(planImport(original, fresh, NOW_MS)).toEqual({ ok: true, mutations: [] });
      }),
    );
  });
});
