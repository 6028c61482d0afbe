// Bundles every function in ONE esbuild run (one entry point each, no code splitting): the modules
// they share — the mongodb driver above all — are parsed once instead of once per function, which
// keeps `npm run synth` well inside a minute on two cores. Each function still gets its own
// self-contained `index.mjs` (+ source map) in its own directory.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** ESM bundles have no `require`; the driver's optional dependencies still call it. */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Provided by the Lambda runtime (AWS SDK v3), or optional add-ons of the driver it never needs. */
export const EXTERNAL_MODULES = [
  '@aws-sdk/*',
  'kerberos',
  '@mongodb-js/zstd',
  'snappy',
  'mongodb-client-encryption',
  'gcp-metadata',
  'socks',
  'aws4',
];

export const BUNDLE_TARGET = 'node22';

export interface BundleSpec {
  readonly name: string;
  /** Relative to the project root. */
  readonly entry: string;
}

/** Returns, per function name, the directory holding its `index.mjs`. */
export function bundleFunctions(
  specs: readonly BundleSpec[],
  opts: { projectRoot: string; outDir?: string },
): Map<string, string> {
  const outDir = opts.outDir ?? mkdtempSync(join(tmpdir(), 'routine-sync-bundles-'));
  mkdirSync(outDir, { recursive: true });
  const result = buildSync({
    absWorkingDir: opts.projectRoot,
    entryPoints: specs.map((s) => ({ in: resolve(opts.projectRoot, s.entry), out: `${s.name}/index` })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    banner: { js: CREATE_REQUIRE_BANNER },
    external: EXTERNAL_MODULES,
    minify: true,
    // `linked` writes index.mjs.map and the comment that --enable-source-maps follows.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  if (result.errors.length) throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return new Map(specs.map((s) => [s.name, join(outDir, s.name)]));
}
