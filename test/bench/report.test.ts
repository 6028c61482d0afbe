// The benchmark report generator: target verdicts, the original design's counterpart of a metric, and a report
// written from result files (with the propagation chart when that benchmark ran).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originalCounterpart, verdict } from '../../bench/report/tables.ts';
import { writeReport } from '../../bench/report.ts';

describe('bench report', () => {
  it.each([
    ['≤ 50', 50, '✓'],
    ['≤ 50', 51, '✗'],
    ['< 20', 20, '✗'],
    ['≥ 2000', 2500, '✓'],
    ['0', 0, '✓'],
    ['0', 3, '✗'],
    ['≤ 250 (N=2^15, r=8)', 120, '✓'],
    ['(5 s polling)', 4000, ''],
    ['original design', 1, ''],
  ])('target %s with %d → "%s"', (target, value, expected) => {
    expect(verdict({ value, unit: 'ms', target })).toBe(expected);
  });

  it('finds the figure of the original design measured beside ours', () => {
    const metrics = Object.fromEntries(
      [
        'propagation_push_p50',
        'propagation_polling_p50',
        'x_ours',
        'x_polling',
        'pull_after_one_change_bytes',
        'polling_refetch_after_one_change_bytes',
        'alone',
      ].map((k) => [k, { value: 1, unit: 'ms' }]),
    );
    expect(originalCounterpart('propagation_push_p50', metrics)).toBe('propagation_polling_p50');
    expect(originalCounterpart('x_ours', metrics)).toBe('x_polling');
    expect(originalCounterpart('pull_after_one_change_bytes', metrics)).toBe(
      'polling_refetch_after_one_change_bytes',
    );
    expect(originalCounterpart('alone', metrics)).toBeUndefined();
  });

  it('writes REPORT.md and the chart from result files, naming what is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    try {
      const metrics = {
        history_records_y0: { value: 0, unit: 'records' },
        history_records_y10: { value: 14_982, unit: 'records' },
        push_propagation_p50_y0: { value: 30, unit: 'ms', target: '≤ 50' },
        push_propagation_p50_y10: { value: 60, unit: 'ms', target: '≤ 50' },
        polling_propagation_p50_y0: { value: 2600, unit: 'ms' },
        polling_propagation_p50_y10: { value: 6000, unit: 'ms' },
      };
      await writeFile(join(dir, 'propagation.json'), JSON.stringify({ name: 'propagation', metrics }));
      await writeFile(join(dir, 'not-a-result.json'), JSON.stringify({ hello: 1 }));
      await writeReport({ dir });
      const report = await readFile(join(dir, 'REPORT.md'), 'utf8');
      expect(report).toContain('| `push_propagation_p50_y0` | 30 ms | ≤ 50 ✓ | 2,600 ms (86.67× ours) |');
      expect(report).toContain('| `push_propagation_p50_y10` | 60 ms | ≤ 50 ✗ |');
      expect(report).toMatch(/Not in this report \(no results file\): `sync`, `push`/);
      const svg = await readFile(join(dir, 'propagation.svg'), 'utf8');
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain('14,982 records');
      expect(svg.match(/<polyline /g)).toHaveLength(6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
