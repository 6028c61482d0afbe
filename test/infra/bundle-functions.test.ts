// The real bundling path of `npm run synth` (the stack tests skip it): one esbuild run, one
// directory with an ESM entry per function and the shared chunks, each with the createRequire
// banner and a linked source map, loadable by plain Node outside the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  const bundle = bundleFunctions(specs, { projectRoot, outDir });
  const entryFile = (name: string) => join(bundle.dir, name, 'index.mjs');
  const chunks = readdirSync(join(bundle.dir, 'chunks')).filter((f) => f.endsWith('.mjs'));

  it('names each handler by its directory in the shared bundle', () => {
    expect(bundle.handlerOf('health')).toBe('health/index.handler');
  });

  it('writes every module with the createRequire banner and a linked source map', () => {
    const files = [
      ...specs.map((s) => entryFile(s.name)),
      ...chunks.map((c) => join(bundle.dir, 'chunks', c)),
    ];
    expect(chunks.length).toBeGreaterThan(0);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      expect(code.startsWith(CREATE_REQUIRE_BANNER), file).toBe(true);
      expect(code.trimEnd()).toMatch(/\/\/# sourceMappingURL=[\w.-]+\.mjs\.map$/);
      expect(existsSync(`${file}.map`), file).toBe(true);
    }
  });

  it('puts the driver in a shared chunk once and leaves the AWS SDK to the runtime', () => {
    const shared = chunks.map((c) => readFileSync(join(bundle.dir, 'chunks', c), 'utf8')).join('\n');
    expect(shared).toContain('MongoClient');
    expect(readFileSync(entryFile('health'), 'utf8')).not.toContain('MongoClient');
    expect(shared).toMatch(/import\(\s*"@aws-sdk\/client-secrets-manager"\s*\)/);
  });

  it('produces entry modules plain Node loads outside the repository, each exporting handler', () => {
    for (const { name } of specs) {
      const url = pathToFileURL(entryFile(name)).href;
      const script = `import(${JSON.stringify(url)}).then((m) => process.stdout.write(typeof m.handler))`;
      const out = execFileSync(process.execPath, ['--enable-source-maps', '-e', script], { cwd: tmpdir() });
      expect(out.toString(), name).toBe('function');
    }
  });
});
