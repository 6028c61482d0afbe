// MongoDB's unified CRUD conformance tests through the official driver against the embedded
// server. The directory is MONGO_SPEC_DIR, or ../shared/mongo-spec/crud beside the repository.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/mongo.ts';
import { loadSpecFiles, runSpecTest, skipReason } from './unified.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const specDir = process.env.MONGO_SPEC_DIR ?? resolve(repoRoot, '../shared/mongo-spec/crud');

const mongo = useTestServer();
const tally = { passed: 0, failed: 0, skipped: new Map<string, number>() };
afterAll(() => {
  const skipped = [...tally.skipped.values()].reduce((sum, n) => sum + n, 0);
  const reasons = [...tally.skipped].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `  ${n} × ${reason}`);
  console.log(
    [`mongo-spec: ${tally.passed} passed, ${skipped} skipped, ${tally.failed} failed`, ...reasons].join('\n'),
  );
});

describe('mongo-spec CRUD conformance', () => {
  it('finds the conformance tests', () => {
    expect(existsSync(specDir), `no spec directory at ${specDir} (set MONGO_SPEC_DIR)`).toBe(true);
    expect(loadSpecFiles(specDir).length, `no *.json tests in ${specDir}`).toBeGreaterThan(0);
  });

  const files = existsSync(specDir) ? loadSpecFiles(specDir) : [];
  for (const file of files) {
    describe(file.name, () => {
      for (const test of file.tests) {
        const reason = skipReason(file, test);
        it(test.description, async (context) => {
          if (reason) {
            tally.skipped.set(reason, (tally.skipped.get(reason) ?? 0) + 1);
            context.skip(reason);
            return;
          }
          try {
            await runSpecTest(mongo.uri, file, test);
            tally.passed++;
          } catch (err) {
            tally.failed++;
            throw err;
          }
        });
      }
    });
  }
});
