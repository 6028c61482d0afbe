// The embedded server README's refusal and conformance sections are what the generator makes of
// the refusal list and the suite (run `npx tsx test/mongo/spec/readme.ts --write` after a change).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, README_PATH, withSection } from './readme.ts';

describe('embedded mongo README', () => {
  it('states the refusals and conformance counts as generated', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme, 'README out of date: npx tsx test/mongo/spec/readme.ts --write').toBe(
      withSection(readme, generate()),
    );
  });
});
