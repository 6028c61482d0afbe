// Synthesizes the stack the way `infra/app.ts` does, minus asset bundling (the tests check the
// template, not the bundles), and runs cdk-nag's AwsSolutions pack over it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
// cdk-nag is CommonJS with re-exports Node's ESM loader cannot see: take the namespace object.
import cdkNag from 'cdk-nag';
import { applyNagSuppressions } from '../../infra/cloud/nag-suppressions.ts';
import { RoutineSyncStack } from '../../infra/cloud/routine-sync-stack.ts';
import { type RouteTable, routeTable } from '../../infra/routes.ts';

/**
 * A synth loads and runs much of aws-cdk-lib: a few seconds alone, far more while the two shared
 * cores are busy with other suites. Hooks and tests that synthesize get this much time.
 */
export const SYNTH_TIMEOUT_MS = 180_000;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A built site of the shape web/build.ts writes, so the tests do not depend on the local web/dist. */
function fixtureWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-test-web-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="/main-TEST1234.js"></script>',
  );
  writeFileSync(join(dir, 'main-TEST1234.js'), 'console.log("routine-sync");\n');
  return dir;
}

export interface Synthesized {
  stack: RoutineSyncStack;
  webSocketApi: RoutineSyncStack['webSocketApi'];
  template: Template;
  /** Unacknowledged cdk-nag findings (errors and warnings both fail `cdk synth`). */
  nagViolations: () => PolicyViolation[];
}

export function synthStack(
  table: RouteTable = routeTable,
  context: Record<string, unknown> = {},
): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const webDistDir = fixtureWebDist();
  const stack = new RoutineSyncStack(app, 'TestStack', { projectRoot, routeTable: table, webDistDir });
  applyNagSuppressions(stack);
  const template = Template.fromStack(stack);
  rmSync(stack.bundleDir, { recursive: true, force: true });
  rmSync(webDistDir, { recursive: true, force: true });
  const nagViolations = () => [...new cdkNag.AwsSolutionsChecks(app).validateScope(app).violations];
  return { stack, webSocketApi: stack.webSocketApi, template, nagViolations };
}
