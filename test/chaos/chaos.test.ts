// The chaos suite in `npm test`: one short fixed-seed run must keep every invariant, and the same
// kind of run against a server that skips the idempotency check, or devices that ignore pokes or
// apply them out of order, must be caught. The longer, randomly seeded runs are `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { type ChaosOptions, DEFAULT_WEIGHTS, runChaos } from './lib/chaos-run.ts';

const SHORT: ChaosOptions = {
  seed: 20_261_128,
  devices: 3,
  mutations: 40,
  databaseKills: 1,
  gatewayRestarts: 1,
  weights: DEFAULT_WEIGHTS,
  healMs: 45_000,
};

describe('chaos (fixed seed)', () => {
  it('keeps every invariant through a database SIGKILL, a gateway restart and a faulty network', async () => {
    const report = await runChaos(SHORT);
    expect(report.violations).toEqual([]);
    expect(report.mutations).toBe(SHORT.mutations + 3);
    // The run did exercise the faults it claims to survive, the pokes' own among them.
    expect(report.faults.duplicate + report.faults.cut).toBeGreaterThan(0);
    expect(report.pokeFaults.lost + report.pokeFaults.reorder).toBeGreaterThan(0);
  }, 240_000);

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

  it('applies pokes lost, duplicated, reordered and delayed, and keeps every invariant', async () => {
    // Requests pass: a device whose push fails never reaches a poke's records in that cycle (it
    // pulls once the push goes through), so under request faults few pokes are applied at all.
    const pass = { pass: 1, drop: 0, delay: 0, reorder: 0, duplicate: 0, cut: 0 };
    const report = await runChaos({ ...CALM, weights: pass });
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
