// The Lighthouse benchmark's result: the median of every figure over its runs and each run's score.
import type { Result } from 'lighthouse';
import { describe, expect, it } from 'vitest';
import { resultOf, runsFrom } from '../../bench/lighthouse.ts';

/** The parts of a Lighthouse result the benchmark reads. */
function lhr(performance: number, tbt: number): Result {
  const category = (score: number) => ({ score, auditRefs: [] });
  const audit = (numericValue: number) => ({ numericValue });
  return {
    categories: {
      performance: category(performance),
      accessibility: category(1),
      'best-practices': category(0.96),
      seo: category(1),
    },
    audits: {
      'first-contentful-paint': audit(1500.4),
      'largest-contentful-paint': audit(1700),
      'total-blocking-time': audit(tbt),
      'cumulative-layout-shift': audit(0.0004),
      'speed-index': audit(1500),
    },
  } as unknown as Result;
}

describe('the Lighthouse result', () => {
  it('reports the median of each figure and every run’s Performance score', () => {
    const { metrics } = resultOf([lhr(0.94, 260), lhr(0.97, 120), lhr(0.96, 150)]);
    expect(metrics.performance_score).toEqual({ value: 96, unit: 'score', target: '≥ 95' });
    expect(metrics.tbt).toEqual({ value: 150, unit: 'ms' });
    expect(metrics.fcp).toEqual({ value: 1500, unit: 'ms' });
    expect(metrics.cls).toEqual({ value: 0, unit: 'score' });
    expect([1, 2, 3].map((i) => metrics[`performance_score_run_${i}`]?.value)).toEqual([94, 97, 96]);
    expect(metrics.runs).toEqual({ value: 3, unit: 'count' });
  });

  it('takes the middle of an even number of runs as the mean of the two middle ones', () => {
    expect(resultOf([lhr(0.94, 100), lhr(0.97, 200)]).metrics.tbt?.value).toBe(150);
  });

  it('refuses to report no run at all', () => {
    expect(() => resultOf([])).toThrow('no Lighthouse run');
  });

  it('reads --runs=N, three by default, and refuses what is not 1 to 20', () => {
    expect(runsFrom(['lighthouse'])).toBe(3);
    expect(runsFrom(['lighthouse', '--runs=5'])).toBe(5);
    for (const bad of ['--runs=0', '--runs=21', '--runs=two', '--runs=1.5', '--runs='])
      expect(() => runsFrom([bad])).toThrow('--runs must be a whole number from 1 to 20');
  });
});
