// The code the containers run: the stack's own bundle of every function (bundleFunctions, the same
// esbuild settings `cdk synth` uses) plus the container runtime, in a directory outside the
// repository, so that a bundle can import nothing but itself and what Lambda's runtime provides:
//
//   <dir>/<function>/index.mjs, <dir>/chunks/…   bundleFunctions (infra/cloud/bundle-functions.ts)
//   <dir>/_runtime/runtime.mjs                  runtime.ts
//   <dir>/node_modules/@aws-sdk ─► the repository's, as Lambda's Node.js runtime provides the SDK v3
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { BUNDLE_TARGET, type BundleSpec, bundleFunctions } from '../../cloud/bundle-functions.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface BuiltBundles {
  dir: string;
  runtimePath: string;
  handlerOf(name: string): string;
}

export function buildContainerBundles(specs: readonly BundleSpec[], projectRoot: string): BuiltBundles {
  const dir = mkdtempSync(join(tmpdir(), 'routine-sync-containers-'));
  const bundle = bundleFunctions(specs, { projectRoot, outDir: dir });
  const runtimePath = join(dir, '_runtime', 'runtime.mjs');
  const result = buildSync({
    entryPoints: [join(here, 'runtime.ts')],
    outfile: runtimePath,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    logLevel: 'error',
  });
  if (result.errors.length) throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(resolve(projectRoot, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'), 'dir');
  return { dir, runtimePath, handlerOf: bundle.handlerOf };
}
