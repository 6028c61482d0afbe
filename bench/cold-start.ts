// `npm run bench -- cold-start`: what a Lambda cold start pays for each function of the route table.
//
//   bundle   every function bundled by infra/cloud/bundle-functions.ts, the very esbuild run (ESM,
//            createRequire banner, node22 target, minified, code splitting, same externals) the CDK
//            stack deploys; per function, the bytes its init phase loads: its entry module plus the
//            shared chunks it imports statically (transitively); once, the whole deployed asset
//   import   a fresh `node` process per sample imports the entry (the init phase's module load,
//            before any handler runs); the median of RUNS samples per function
//
// Nothing connects at import (the database client is created on the first request), so this is the
// code-loading share of a cold start; the runtime's own start and the first connection come on top.
// No issue sets a target for it: the figures are reported to watch the bundles grow.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundleFunctions } from '../infra/cloud/bundle-functions.ts';
import { REPO_ROOT } from '../infra/local/gateway.ts';
import { allFunctions } from '../infra/routes.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 3);
const run$ = promisify(execFile);

/** Prints the milliseconds `import()` of BUNDLE took, measured inside the fresh process. */
const IMPORT_PROBE =
  'const t = performance.now(); await import(process.env.BUNDLE); console.log(performance.now() - t);';

/** Plausible Lambda environment, so modules that read it at load behave as deployed. */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  MONGODB_URI: 'mongodb://127.0.0.1:9/?directConnection=true',
  NODE_ENV: 'production',
};

async function importMs(bundle: string): Promise<number> {
  const { stdout } = await run$(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, BUNDLE: bundle },
    timeout: 60_000,
  });
  return Number(stdout.trim());
}

/** The entry and every module it imports statically, transitively (dynamic imports load later). */
function loadedModules(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      if (m[1]) visit(resolve(dirname(file), m[1]));
    }
  };
  visit(entry);
  return [...seen];
}

function sizes(files: readonly string[]): { bytes: number; gzipBytes: number } {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const code = readFileSync(file);
    bytes += code.length;
    gzipBytes += gzipSync(code).length;
  }
  return { bytes, gzipBytes };
}

function assetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dir, f));
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-cold-start-'));
  try {
    const functions = allFunctions();
    const started = performance.now();
    const bundle = bundleFunctions(functions, { projectRoot: resolve(REPO_ROOT), outDir });
    const bundleMs = performance.now() - started;
    const metrics: Record<string, Metric> = {};
    const loaded: number[] = [];
    const gzipped: number[] = [];
    const medians: number[] = [];
    for (const f of functions) {
      // The Lambda handler `<name>/index.handler` names the module the runtime imports.
      const file = join(bundle.dir, bundle.handlerOf(f.name).replace(/\.handler$/, '.mjs'));
      const { bytes, gzipBytes } = sizes(loadedModules(file));
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) samples.push(await importMs(file));
      samples.sort((a, b) => a - b);
      const median = percentile(samples, 50);
      loaded.push(bytes);
      gzipped.push(gzipBytes);
      medians.push(median);
      metrics[`${f.name}_loaded_bytes`] = { value: bytes, unit: 'B' };
      metrics[`${f.name}_loaded_gzip_bytes`] = { value: gzipBytes, unit: 'B' };
      metrics[`${f.name}_import_ms`] = { value: round(median), unit: 'ms' };
      console.log(
        `[cold-start] ${f.name}: loads ${bytes} B (${gzipBytes} B gzip), import ${round(median)} ms`,
      );
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const asset = sizes(assetFiles(bundle.dir));
    return {
      name: 'cold-start',
      metrics: {
        functions: { value: functions.length, unit: 'functions' },
        bundle_all_ms: { value: round(bundleMs, 0), unit: 'ms' },
        asset_bytes: { value: asset.bytes, unit: 'B' },
        asset_gzip_bytes: { value: asset.gzipBytes, unit: 'B' },
        loaded_bytes_max: { value: Math.max(...loaded), unit: 'B' },
        loaded_bytes_median: { value: percentile(sorted(loaded), 50), unit: 'B' },
        loaded_gzip_bytes_max: { value: Math.max(...gzipped), unit: 'B' },
        import_ms_median: { value: round(percentile(sorted(medians), 50)), unit: 'ms' },
        import_ms_max: { value: round(Math.max(...medians)), unit: 'ms' },
        import_samples_per_function: { value: RUNS, unit: 'runs' },
        ...metrics,
      },
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
