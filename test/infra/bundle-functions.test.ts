// The real bundling path of `npm run synth` (the stack tests skip it): one esbuild run, one
// self-contained ESM bundle per function that Node can load, with the createRequire banner and a
// linked source map.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunctions, CREATE_REQUIRE_BANNER } from '../../infra/cloud/bundle-functions.ts';
import { projectRoot } from './synth-stack.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bundleFunctions', () => {
  const specs = [
    { name: 'health', entry: 'functions/health.ts' },
    { name: 'ensure-indexes', entry: 'functions/ops/ensure-indexes.ts' },
  ];
  const dirs = bundleFunctions(specs, { projectRoot, outDir });

  it('writes one index.mjs per function, starting with the createRequire banner, with a linked map', () => {
    for (const { name } of specs) {
      const code = readFileSync(join(dirs.get(name) ?? '', 'index.mjs'), 'utf8');
      expect(code.startsWith(CREATE_REQUIRE_BANNER), name).toBe(true);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), name).toBe(true);
      expect(existsSync(join(dirs.get(name) ?? '', 'index.mjs.map')), name).toBe(true);
    }
  });

  it('bundles the driver in but leaves the AWS SDK to the runtime', () => {
    const code = readFileSync(join(dirs.get('health') ?? '', 'index.mjs'), 'utf8');
    expect(code).toContain('MongoClient');
    expect(code).not.toMatch(/from\s*"mongodb"/);
    expect(code).toMatch(/import\(\s*"@aws-sdk\/client-secrets-manager"\s*\)/);
  });

  it('produces modules plain Node loads on their own (outside the repo), each exporting handler', () => {
    for (const { name } of specs) {
      const url = pathToFileURL(join(dirs.get(name) ?? '', 'index.mjs')).href;
      const script = `import(${JSON.stringify(url)}).then((m) => process.stdout.write(typeof m.handler))`;
      const out = execFileSync(process.execPath, ['--enable-source-maps', '-e', script], { cwd: tmpdir() });
      expect(out.toString(), name).toBe('function');
    }
  });
});
