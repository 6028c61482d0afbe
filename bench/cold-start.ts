// `npm run bench -- cold-start`: what a Lambda cold start pays for each function of the route table.
//
//   bundle   every function bundled by infra/cloud/bundle-functions.ts, the very esbuild run (ESM,
//            createRequire banner, node22 target, minified, same externals) the CDK stack deploys
//   import   a fresh `node` process per sample imports the bundle (the init phase's module load,
//            before any handler runs); the median of RUNS samples per function
//
// Nothing connects at import (the database client is created on the first request), so this is the
// code-loading share of a cold start; the runtime's own start and the first connection come on top.
// No issue sets a target for it: the figures are reported to watch the bundles grow.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundleFunctions } from '../infra/cloud/bundle-functions.ts';
import { REPO_ROOT } from '../infra/local/gateway.ts';
import { allFunctions } from '../infra/routes.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 5);
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

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-cold-start-'));
  try {
    const functions = allFunctions();
    const started = performance.now();
    const bundle = bundleFunctions(functions, { projectRoot: resolve(REPO_ROOT), outDir });
    const bundleMs = performance.now() - started;
    const metrics: Record<string, Metric> = {};
    const sizes: number[] = [];
    const gzipped: number[] = [];
    const medians: number[] = [];
    for (const f of functions) {
      // The Lambda handler `<name>/index.handler` names the module the runtime imports.
      const file = join(bundle.dir, bundle.handlerOf(f.name).replace(/\.handler$/, '.mjs'));
      const bytes = statSync(file).size;
      const gzipBytes = gzipSync(readFileSync(file)).length;
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) samples.push(await importMs(file));
      samples.sort((a, b) => a - b);
      const median = percentile(samples, 50);
      sizes.push(bytes);
      gzipped.push(gzipBytes);
      medians.push(median);
      metrics[`${f.name}_bundle_bytes`] = { value: bytes, unit: 'B' };
      metrics[`${f.name}_bundle_gzip_bytes`] = { value: gzipBytes, unit: 'B' };
      metrics[`${f.name}_import_ms`] = { value: round(median), unit: 'ms' };
      console.log(`[cold-start] ${f.name}: ${bytes} B (${gzipBytes} B gzip), import ${round(median)} ms`);
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    return {
      name: 'cold-start',
      metrics: {
        functions: { value: functions.length, unit: 'functions' },
        bundle_all_ms: { value: round(bundleMs, 0), unit: 'ms' },
        bundle_bytes_max: { value: Math.max(...sizes), unit: 'B' },
        bundle_bytes_median: { value: percentile(sorted(sizes), 50), unit: 'B' },
        bundle_gzip_bytes_max: { value: Math.max(...gzipped), unit: 'B' },
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
