// Synthesizes the stack the way `infra/app.ts` does, minus asset bundling (the tests check the
// template, not the bundles), and runs cdk-nag's AwsSolutions pack over it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
// cdk-nag is CommonJS with re-exports Node's ESM loader cannot see: take the namespace object.
import cdkNag from 'cdk-nag';
import { applyNagSuppressions } from '../../infra/cloud/nag-suppressions.ts';
import { RoutineSyncStack } from '../../infra/cloud/routine-sync-stack.ts';
import { readStackConfig } from '../../infra/cloud/stack-config.ts';
import { type RouteTable, routeTable } from '../../infra/routes.ts';

/**
 * A synth loads and runs much of aws-cdk-lib: a few seconds alone, far more while the two shared
 * cores are busy with other suites. Hooks and tests that synthesize get this much time.
 */
export const SYNTH_TIMEOUT_MS = 180_000;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Files of the fixture site: content-hashed names (esbuild's `[name]-[hash]`) and fixed ones. */
export const FIXTURE_SITE = {
  hashed: ['chunks/chart-AB12CD34.js', 'main-TEST1234.css', 'main-TEST1234.js', 'main-TEST1234.js.map'],
  entry: ['favicon.ico', 'icons/icon-192.png', 'index.html', 'manifest.webmanifest', 'sw.js', 'sw.js.map'],
} as const;

/** A built site of the shape web/build.ts writes, so the tests do not depend on the local web/dist. */
function fixtureWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-test-web-'));
  for (const file of [...FIXTURE_SITE.hashed, ...FIXTURE_SITE.entry]) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `/* ${file} */\n`);
  }
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="/main-TEST1234.js"></script>',
  );
  return dir;
}

export interface Synthesized {
  stack: RoutineSyncStack;
  webSocketApi: RoutineSyncStack['webSocketApi'];
  template: Template;
  /** The cloud assembly directory: staged assets are `asset.<hash>/` in it. */
  assemblyDir: string;
  /** Unacknowledged cdk-nag findings (errors and warnings both fail `cdk synth`). */
  nagViolations: () => PolicyViolation[];
}

export function synthStack(
  table: RouteTable = routeTable,
  context: Record<string, unknown> = {},
): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const webDistDir = fixtureWebDist();
  const { stackName } = readStackConfig(app.node);
  const stack = new RoutineSyncStack(app, stackName, { projectRoot, routeTable: table, webDistDir });
  applyNagSuppressions(stack);
  const template = Template.fromStack(stack);
  rmSync(stack.bundleDir, { recursive: true, force: true });
  rmSync(webDistDir, { recursive: true, force: true });
  const nagViolations = () => [...new cdkNag.AwsSolutionsChecks(app).validateScope(app).violations];
  return { stack, webSocketApi: stack.webSocketApi, template, assemblyDir: app.outdir, nagViolations };
}
