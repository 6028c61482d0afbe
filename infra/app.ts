// Composition root of the cloud side: one stack from the route table, checked by cdk-nag's
// AwsSolutions rules on every synth (an unsuppressed error fails `npm run synth` and `cdk deploy`).
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
// cdk-nag is CommonJS with re-exports Node's ESM loader cannot see: take the namespace object.
import cdkNag from 'cdk-nag';
import { GithubOidcStack } from './cloud/github-oidc.ts';
import { applyNagSuppressions } from './cloud/nag-suppressions.ts';
import { RoutineSyncStack } from './cloud/routine-sync-stack.ts';
import { readStackConfig } from './cloud/stack-config.ts';
import { routeTable } from './routes.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const app = new App();
const { stackName, stage } = readStackConfig(app.node);
// Environment-agnostic on purpose: the account and region come from the deploying credentials, and
// nothing is looked up at synth time.
const stack = new RoutineSyncStack(app, stackName, {
  projectRoot,
  routeTable,
  description: `routine-sync (${stage}): local-first habit tracker (Lambda + API Gateway + CloudFront)`,
});
applyNagSuppressions(stack);
// The CI deploy role: its own stack, only when asked for (`-c githubRepo=owner/name`).
const githubRepo = app.node.tryGetContext('githubRepo') as string | undefined;
if (githubRepo) {
  new GithubOidcStack(app, 'RoutineSync-github-deploy', {
    repository: githubRepo,
    providerArn: app.node.tryGetContext('githubOidcProviderArn') as string | undefined,
  });
}
Validations.of(app).addPlugins(new cdkNag.AwsSolutionsChecks(app, { verbose: true }));
app.synth();
rmSync(stack.bundleDir, { recursive: true, force: true });
