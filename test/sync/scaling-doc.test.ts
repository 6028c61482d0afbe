// docs/scaling.md is generated from the scale model: it must say what the script computes now.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderScalingDoc } from '../../bench/scale-model/render.ts';
import { model, PARAMETERS, SCALES, SCALING_DOC } from '../../bench/scale-model.ts';
import { DIRECT_POKE_LIMIT } from '../../functions/lib/realtime/poke-other-devices.ts';

describe('docs/scaling.md', () => {
  it('is what `npm run bench -- scale-model` writes from its parameter table', async () => {
    const expected = renderScalingDoc(
      PARAMETERS,
      SCALES.map((users) => model(users)),
    );
    expect(await readFile(SCALING_DOC, 'utf8')).toBe(expected);
  });

  it('grows with the users: a hundred times the users, a hundred times the requests', () => {
    const [small, , large] = SCALES.map((users) => model(users));
    expect((large?.perDay.httpRequests ?? 0) / (small?.perDay.httpRequests ?? 1)).toBeCloseTo(1_000, 6);
    expect(large?.quotaUse.websocketNewConnections).toBeGreaterThan(
      small?.quotaUse.websocketNewConnections ?? 0,
    );
  });

  it("models the app's own poke rule: a writer posts to at most DIRECT_POKE_LIMIT devices itself", () => {
    expect(PARAMETERS.app.directPokeLimit).toBe(DIRECT_POKE_LIMIT);
    // Two devices per user: no change needs a broadcast run.
    const [small] = SCALES.map((users) => model(users));
    expect(small?.broadcastsSavedPerDay).toBeGreaterThan(0);
  });
});
