// `npm run synth` end to end (the cdk CLI, the app, one esbuild run for every function, asset
// staging, cdk-nag), into a scratch directory so cdk.out is left alone; plus the esbuild run alone.
// Target from issue #8: ≤ 60 s on this machine, offline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunctions } from '../infra/cloud/bundle-functions.ts';
import { allFunctions } from '../infra/routes.ts';
import type { BenchResult } from './lib/result.ts';

const projectRoot = join(import.meta.dirname, '..');

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

export async function run(): Promise<BenchResult> {
  const load = loadavg()[0] ?? 0;
  const specs = allFunctions();
  const bundles = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const esbuildStart = performance.now();
  bundleFunctions(specs, { projectRoot, outDir: bundles });
  const esbuildSeconds = (performance.now() - esbuildStart) / 1000;
  const bundleMb = sizeOf(bundles) / 1024 / 1024;
  rmSync(bundles, { recursive: true, force: true });

  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const synthStart = performance.now();
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
    cwd: projectRoot,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const synthSeconds = (performance.now() - synthStart) / 1000;
  rmSync(out, { recursive: true, force: true });

  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    name: 'synth',
    metrics: {
      synthSeconds: { value: round(synthSeconds), unit: 's', target: '≤ 60' },
      esbuildAllFunctionsSeconds: { value: round(esbuildSeconds), unit: 's' },
      functions: { value: specs.length, unit: 'functions' },
      bundlesTotal: { value: round(bundleMb), unit: 'MB' },
      loadAverageAtStart: { value: round(load), unit: '1-min load (2 cores)' },
    },
  };
}
