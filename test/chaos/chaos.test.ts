// The chaos suite in `npm test`: one short fixed-seed run must keep every invariant through a database
// kill, a gateway restart and a faulty network, pokes included. `npm run test:containers` runs this
// file on the container runtime too. That the suite catches what it should (a server without the
// idempotency check, devices that ignore pokes or apply them out of order) is chaos-catches.test.ts;
// the longer, randomly seeded runs are `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { SHORT } from './lib/chaos-options.ts';
import { runChaos } from './lib/chaos-run.ts';
import { WATCHED_WRITES } from './lib/schedule.ts';

describe('chaos (fixed seed)', () => {
  it('keeps every invariant through a database SIGKILL, a gateway restart and a faulty network', async () => {
    const report = await runChaos(SHORT);
    expect(report.violations).toEqual([]);
    expect(report.mutations).toBe(SHORT.mutations + 3 + WATCHED_WRITES);
    // The run did exercise the faults it claims to survive, the pokes' own among them.
    expect(report.faults.duplicate + report.faults.cut).toBeGreaterThan(0);
    expect(report.pokeFaults.lost + report.pokeFaults.reorder).toBeGreaterThan(0);
    expect(report.pokes.applied).toBeGreaterThan(0);
  }, 360_000);
});
