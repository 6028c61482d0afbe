// The poke audit itself: what explains a write to a device's storage, and what it reports.
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, type CollectionVersions } from '../../core/records.ts';
import { createPokeAudit, POKES_BEFORE_SUSPICION, unusedPokes } from './lib/poke-audit.ts';

const at = (v: number) => Object.fromEntries(COLLECTIONS.map((c) => [c, v])) as CollectionVersions;
const D = 'device_1700000000000_aaaa';

describe('poke audit', () => {
  it('explains a write by the pull answered up to its versions, even a partial one', () => {
    const audit = createPokeAudit();
    audit.pulled(7);
    audit.stored(at(3), at(7));
    audit.pulled(9);
    audit.stored(at(7), { tasks: 9 });
    expect(audit.violations(D)).toEqual([]);
    expect(audit.counts).toMatchObject({ pulls: 2, applied: 0 });
  });

  it('counts a poke applied when its records continue exactly where the device stood', () => {
    const audit = createPokeAudit();
    audit.delivered({ fromVersion: 4, toVersion: 5 });
    audit.stored(at(4), at(5));
    expect(audit.violations(D)).toEqual([]);
    expect(audit.counts.applied).toBe(1);
  });

  it("counts a push answer's records apart from pokes, and only where they continue", () => {
    const audit = createPokeAudit();
    audit.answered({ fromVersion: 4, toVersion: 5 });
    audit.stored(at(4), at(5));
    expect(audit.counts).toMatchObject({ applied: 0, answersApplied: 1 });
    audit.answered({ fromVersion: 6, toVersion: 7 });
    audit.stored(at(5), at(7));
    expect(audit.violations(D)).toHaveLength(1);
  });

  it('reports records stored from anywhere else as a poke applied out of order', () => {
    const audit = createPokeAudit();
    audit.delivered({ fromVersion: 4, toVersion: 5 });
    audit.stored(at(3), at(5));
    audit.stored({ ...at(4), weights: 2 }, at(5));
    const found = audit.violations(D);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^order: device_1700000000000_aaaa applied a poke out of order/);
  });

  it('reports devices handed many pokes that applied none of them, together', () => {
    const idle = createPokeAudit();
    const busy = createPokeAudit();
    for (let v = 1; v < POKES_BEFORE_SUSPICION; v += 1) busy.delivered({ fromVersion: v - 1, toVersion: v });
    expect(unusedPokes([idle, busy])).toEqual([]);
    idle.delivered({ fromVersion: 99, toVersion: 100 });
    expect(unusedPokes([idle, busy])).toEqual([
      `pokes: the devices were handed ${POKES_BEFORE_SUSPICION} pokes' records and applied none`,
    ]);
    idle.stored(at(99), at(100));
    expect(unusedPokes([idle, busy])).toEqual([]);
  });
});
