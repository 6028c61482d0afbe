// Bundles every function in ONE esbuild run with code splitting, into ONE directory that every
// function deploys (each with its own handler path):
//
//   <dir>/health/index.mjs            ─┐ thin entry modules, one per function
//   <dir>/tasks-create/index.mjs       ├─► import ../chunks/chunk-*.mjs (the mongodb driver, core/, lib/)
//   <dir>/chunks/chunk-*.mjs          ─┘   written, hashed, zipped and uploaded once, not 32 times
//
// Bundling each function separately took ~2 minutes on this machine; this takes seconds. Lambda
// loads only the modules a handler imports, so a function pays nothing at cold start for the others.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

export interface FunctionBundle {
  /** The directory every function deploys. */
  readonly dir: string;
  /** Lambda `Handler` of one function: `<name>/index.handler`. */
  handlerOf(name: string): string;
}

const handlerOf = (name: string) => `${name}/index.handler`;

export function bundleFunctions(
  specs: readonly BundleSpec[],
  opts: { projectRoot: string; outDir?: string },
): FunctionBundle {
  const dir = opts.outDir ?? mkdtempSync(join(tmpdir(), 'routine-sync-bundle-'));
  mkdirSync(dir, { recursive: true });
  const result = buildSync({
    absWorkingDir: opts.projectRoot,
    entryPoints: specs.map((s) => ({ in: resolve(opts.projectRoot, s.entry), out: `${s.name}/index` })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    banner: { js: CREATE_REQUIRE_BANNER },
    external: EXTERNAL_MODULES,
    minify: true,
    // `linked` writes the .map files and the comments that --enable-source-maps follows.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  if (result.errors.length) throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return { dir, handlerOf };
}

/**
 * Stands in for the bundle when the stack skips bundling (the tests): same handler paths, so the
 * template has the shape of a real synth, without running esbuild.
 */
export function placeholderBundle(): FunctionBundle {
  const dir = mkdtempSync(join(tmpdir(), 'routine-sync-unbundled-'));
  writeFileSync(join(dir, 'README.txt'), 'Bundling was skipped for this synth (aws:cdk:bundling-stacks).\n');
  return { dir, handlerOf };
}
