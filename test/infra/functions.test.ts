// One function per route-table entry, all with the house defaults.
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DEFAULTS } from '../../infra/cloud/app-function.ts';
import { allFunctions, routeTable } from '../../infra/routes.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';
import { appFunctions } from './template-queries.ts';

/** Lambda functions aws-cdk-lib adds for BucketDeployment, autoDeleteObjects and the Trigger. */
const CDK_OWNED_FUNCTIONS = 3;

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack(routeTable);
}, SYNTH_TIMEOUT_MS);

describe('functions', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('deploys one function per route-table entry, plus the ops functions and the CDK-owned ones', () => {
    const expected = allFunctions().length;
    expect(appFunctions(synth.template).size).toBe(expected);
    synth.template.resourceCountIs('AWS::Lambda::Function', expected + CDK_OWNED_FUNCTIONS);
    expect([...appFunctions(synth.template).keys()].sort()).toEqual(
      allFunctions()
        .map((f) => f.name)
        .sort(),
    );
  });

  it('runs every function on Node.js 22, arm64, with its route-table timeout', () => {
    const deployed = appFunctions(synth.template);
    for (const spec of allFunctions()) {
      const fn = deployed.get(spec.name);
      expect(fn, spec.name).toBeDefined();
      expect(fn?.properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: `${spec.name}/index.handler`,
        Timeout: spec.timeoutSeconds,
        MemorySize: FUNCTION_DEFAULTS.memorySize,
      });
    }
  });

  it('deploys one shared code asset for all functions', () => {
    const codes = new Set(
      [...appFunctions(synth.template).values()].map((f) => JSON.stringify(f.properties.Code)),
    );
    expect(codes.size).toBe(1);
  });

  it("gives every function the stage's secret ARN and database, source maps and a small pool in its environment", () => {
    for (const [name, fn] of appFunctions(synth.template)) {
      const env = fn.properties.Environment.Variables;
      expect(env, name).toMatchObject({
        APP_FUNCTION_NAME: name,
        NODE_OPTIONS: '--enable-source-maps',
        MONGODB_MAX_POOL_SIZE: '2',
        MONGODB_DB: 'routine_sync_dev',
      });
      expect(JSON.stringify(env.MONGODB_SECRET_ARN), name).toContain(':secret:routine-sync/dev/mongodb-uri');
      expect(env.MONGODB_URI, name).toBeUndefined();
    }
  });

  it("writes each function to its own log group with the stage's retention, deleted with a dev stack", () => {
    const groups = synth.template.findResources('AWS::Logs::LogGroup');
    const used = new Set<string>();
    for (const [name, fn] of appFunctions(synth.template)) {
      const ref = fn.properties.LoggingConfig?.LogGroup?.Ref;
      expect(ref, name).toBeDefined();
      expect(used.has(ref ?? ''), `${name} shares a log group`).toBe(false);
      used.add(ref ?? '');
      expect(groups[ref ?? '']?.Properties).toMatchObject({ RetentionInDays: 14 });
      expect(groups[ref ?? '']?.DeletionPolicy).toBe('Delete');
    }
  });

  it('ensures indexes on deploy through a trigger that invokes the ensure-indexes function', () => {
    const ensure = appFunctions(synth.template).get('ensure-indexes');
    const versions = synth.template.findResources('AWS::Lambda::Version', {
      Properties: { FunctionName: { Ref: ensure?.logicalId } },
    });
    const [versionId] = Object.keys(versions);
    expect(versionId).toBeDefined();
    synth.template.hasResourceProperties('Custom::Trigger', {
      HandlerArn: { Ref: versionId },
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
    });
  });

  it('publishes the route-table name → physical name map as a stack output', () => {
    const output = synth.template.findOutputs('FunctionNames');
    const rendered = JSON.stringify(output);
    for (const [name, fn] of appFunctions(synth.template)) {
      expect(rendered).toContain(`\\"${name}\\":\\"`);
      expect(rendered).toContain(fn.logicalId);
    }
  });
});

describe('context settings', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('applies a log retention and secret name given as context', () => {
    const { template } = synthStack(routeTable, { logRetentionDays: 7, mongoSecretName: 'prod/mongo' });
    const health = appFunctions(template).get('health');
    expect(JSON.stringify(health?.properties.Environment.Variables.MONGODB_SECRET_ARN)).toContain(
      ':secret:prod/mongo',
    );
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.every((g) => g.Properties.RetentionInDays === 7)).toBe(true);
  });

  it('rejects a retention CloudWatch Logs does not offer, naming the key', () => {
    expect(() => synthStack(routeTable, { logRetentionDays: 8 })).toThrow(/logRetentionDays/);
  });

  it('rejects a route whose handler file does not exist', () => {
    const table = {
      ...routeTable,
      httpRoutes: [
        ...routeTable.httpRoutes,
        {
          method: 'GET',
          path: '/api/nope',
          name: 'nope',
          entry: 'functions/nope.ts',
          auth: 'public',
        } as const,
      ],
    };
    expect(() => synthStack(table)).toThrow(/"nope": handler file functions\/nope.ts does not exist/);
  });
});
