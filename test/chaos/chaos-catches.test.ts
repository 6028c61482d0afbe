// The chaos suite catches what it should: the same kind of short run as chaos.test.ts against a server
// that skips the idempotency check, or devices that ignore pokes or apply them out of order, must
// fail; and calm runs (no outages) show the devices applying pokes whatever the network does to them.
import { describe, expect, it } from 'vitest';
import { SHORT } from './lib/chaos-options.ts';
import { DEFAULT_WEIGHTS, runChaos } from './lib/chaos-run.ts';

describe('chaos (fixed seed): what the invariants catch', () => {
  it('catches a server that skips the idempotency check', async () => {
    // Every push duplicated or cut after commit: the broken server applies retried batches again.
    const weights = { pass: 0, drop: 0, delay: 0, reorder: 0, duplicate: 1, cut: 1 };
    const report = await runChaos({
      ...SHORT,
      databaseKills: 0,
      gatewayRestarts: 0,
      weights,
      brokenPush: true,
    });
    expect(report.violations.some((v) => v.startsWith('twice:'))).toBe(true);
  }, 240_000);

  // No outages: what is caught is the devices' own doing.
  const CALM = { ...SHORT, mutations: 60, databaseKills: 0, gatewayRestarts: 0 };

  it('applies pokes lost, duplicated, reordered and delayed, under request faults, and keeps every invariant', async () => {
    const report = await runChaos({ ...CALM, weights: DEFAULT_WEIGHTS });
    expect(report.violations).toEqual([]);
    expect(report.pokeFaults.lost + report.pokeFaults.reorder).toBeGreaterThan(0);
    expect(report.pokes.applied).toBeGreaterThan(0);
  }, 240_000);

  it('catches devices that ignore pokes entirely', async () => {
    const report = await runChaos({ ...CALM, brokenPokes: 'ignore' });
    expect(report.violations.some((v) => v.startsWith('pokes:'))).toBe(true);
    expect(report.pokes.applied).toBe(0);
  }, 240_000);

  it('catches devices that apply a poke out of order', async () => {
    const report = await runChaos({ ...CALM, brokenPokes: 'unordered' });
    expect(report.violations.some((v) => v.startsWith('order:'))).toBe(true);
  }, 240_000);
});
