// The synthesized CloudFormation template of the stack, as the containers need it: what the stack
// gives each function. Synthesis (the same stack class as `cdk synth`, with cdk.json's context,
// bundling skipped because the containers build the bundle themselves) loads much of aws-cdk-lib,
// so the template is cached under node_modules/.cache, keyed by everything that shapes it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { RouteTable } from '../../routes.ts';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

/** What the cache keeps: the template, and the stack setting that names the database secret. */
export interface SynthesizedStack {
  template: CfnTemplate;
  databaseSecretName: string;
}

const STACK_ID = 'RoutineSyncLocal';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Everything a synth reads that the containers use: the infra code, cdk.json, the installed CDK and
 * the table's functions. Entry files only name a function's description, so a table that swaps a
 * handler (the chaos suite's broken push) shares the template.
 */
function cacheKey(projectRoot: string, table: RouteTable, context: Record<string, unknown>): string {
  const hash = createHash('sha256');
  const shape = JSON.stringify(table, (key, value: unknown) => (key === 'entry' ? undefined : value));
  hash.update(JSON.stringify({ shape, context }));
  const files = [
    ...filesUnder(join(projectRoot, 'infra')).filter((file) => !file.includes(`${join('infra', 'local')}`)),
    join(projectRoot, 'package-lock.json'),
  ];
  for (const file of files) hash.update(relative(projectRoot, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 24);
}

/** The context `cdk synth` reads from cdk.json. */
function cdkJsonContext(projectRoot: string): Record<string, unknown> {
  const file = join(projectRoot, 'cdk.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

// aws-cdk-lib is loaded only on a cache miss: importing it takes seconds, far more on a busy machine.
async function synthesize(
  projectRoot: string,
  table: RouteTable,
  context: Record<string, unknown>,
): Promise<SynthesizedStack> {
  const [{ App }, { RoutineSyncStack }, { readStackConfig }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../../cloud/routine-sync-stack.ts'),
    import('../../cloud/stack-config.ts'),
  ]);
  const outdir = join(tmpdir(), `routine-sync-synth-${process.pid}-${Date.now()}`);
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new RoutineSyncStack(app, STACK_ID, { projectRoot, routeTable: table });
  try {
    const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
    return { template, databaseSecretName: readStackConfig(stack.node).mongoSecretName };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(stack.bundleDir, { recursive: true, force: true });
  }
}

/** The stack `cdk synth` would produce for `table`, from the cache when nothing changed. */
export async function synthesizedStack(projectRoot: string, table: RouteTable): Promise<SynthesizedStack> {
  const context = cdkJsonContext(projectRoot);
  const cacheDir = join(projectRoot, 'node_modules/.cache/routine-sync-stack');
  const file = join(cacheDir, `${cacheKey(projectRoot, table, context)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SynthesizedStack;
  const synthesized = await synthesize(projectRoot, table, context);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(synthesized));
  return synthesized;
}
