// Stages: `-c stage=<name>` gives each copy of the app its own stack, database, secret, log retention
// and removal policy, so two stages live side by side in one account and on one Atlas cluster.
// Plus the settings that change what a stage exposes: the API's custom domain and WebSocket access logs.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig } from '../../infra/cloud/stack-config.ts';
import { routeTable } from '../../infra/routes.ts';
import { withRealtime } from './route-tables.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';
import { appFunctions } from './template-queries.ts';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const table = withRealtime(routeTable);
let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthStack(table, { stage: 'dev' });
  prod = synthStack(table, {
    stage: 'prod',
    apiDomain: 'api.example.com',
    certificateArn: CERT,
    webSocketAccessLogs: true,
  });
}, SYNTH_TIMEOUT_MS * 2);

/** Properties that name a resource uniquely in an account and region. */
const NAME_KEYS = new Set([
  'Name',
  'FunctionName',
  'LogGroupName',
  'SecretName',
  'DashboardName',
  'TopicName',
  'QueueName',
  'RoleName',
  'AlarmName',
  'BucketName',
  'DomainName',
]);
/** Resources whose names are scoped to a parent (an API, a role), not to the account. */
const SCOPED_TYPES = new Set([
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::IAM::Policy',
]);

/** Every literal name a resource is given, the secret each function reads and the database it uses. */
function namedValues(synth: Synthesized): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string' && NAME_KEYS.has(key)) names.add(value);
    else if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  const resources = synth.template.toJSON().Resources as Record<
    string,
    { Type: string; Properties?: unknown }
  >;
  for (const res of Object.values(resources)) if (!SCOPED_TYPES.has(res.Type)) visit(res.Properties, '');
  for (const fn of appFunctions(synth.template).values()) {
    names.add(`db:${fn.properties.Environment.Variables.MONGODB_DB}`);
    const secret = JSON.stringify(fn.properties.Environment.Variables.MONGODB_SECRET_ARN);
    names.add(`secret:${secret.match(/secret:([^"]+)/)?.[1]}`);
  }
  return names;
}

describe('stages', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('derive stack, database and secret names from the stage, and keep prod logs longer and on delete', () => {
    expect(parseStackConfig({})).toMatchObject({
      stage: 'dev',
      stackName: 'RoutineSync-dev',
      mongoDbName: 'routine_sync_dev',
      mongoSecretName: 'routine-sync/dev/mongodb-uri',
      logRetentionDays: 14,
      removalPolicy: 'destroy',
    });
    expect(parseStackConfig({ stage: 'prod' })).toMatchObject({
      stackName: 'RoutineSync-prod',
      mongoDbName: 'routine_sync_prod',
      mongoSecretName: 'routine-sync/prod/mongodb-uri',
      logRetentionDays: 90,
      removalPolicy: 'retain',
    });
    expect(parseStackConfig({ stage: 'qa-2', mongoDbName: 'shared', logRetentionDays: '30' })).toMatchObject({
      mongoDbName: 'shared',
      logRetentionDays: 30,
    });
  });

  it('synthesize side by side without sharing any named resource, database or secret', () => {
    expect(dev.stack.stackName).toBe('RoutineSync-dev');
    expect(prod.stack.stackName).toBe('RoutineSync-prod');
    const devNames = namedValues(dev);
    const shared = [...namedValues(prod)].filter((name) => devNames.has(name));
    expect(shared).toEqual([]);
    expect(devNames).toContain('db:routine_sync_dev');
    expect(devNames).toContain('secret:routine-sync/dev/mongodb-uri');
  });

  it('retain prod log groups when the stack is deleted, and delete dev ones', () => {
    const policies = (s: Synthesized) =>
      new Set(Object.values(s.template.findResources('AWS::Logs::LogGroup')).map((g) => g.DeletionPolicy));
    expect(policies(prod)).toEqual(new Set(['Retain']));
    expect(policies(dev)).toEqual(new Set(['Delete']));
  });

  it('reject a stage that cannot be part of a name, and a domain without its certificate', () => {
    expect(() => parseStackConfig({ stage: 'Prod' })).toThrow(/stage must be/);
    expect(() => parseStackConfig({ stage: 'a/b' })).toThrow(/stage must be/);
    expect(() => parseStackConfig({ mongoDbName: 'a.b' })).toThrow(/mongoDbName/);
    expect(() => parseStackConfig({ apiDomain: 'api.example.com' })).toThrow(/apiDomain and certificateArn/);
    expect(() => parseStackConfig({ apiDomain: 'api.example.com', certificateArn: 'nope' })).toThrow(
      /certificateArn/,
    );
  });
});

describe('custom API domain', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('serves the HTTP API on the domain with the execute-api endpoint disabled, and CloudFront uses it', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      DisableExecuteApiEndpoint: true,
    });
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
    });
    prod.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const [dist] = Object.values(prod.template.findResources('AWS::CloudFront::Distribution'));
    const origins = dist?.Properties.DistributionConfig.Origins as Array<{ DomainName: unknown }>;
    expect(origins.map((o) => o.DomainName)).toContain('api.example.com');
    expect(prod.template.findOutputs('ApiDomainTarget')).not.toEqual({});
  });

  it('leaves the execute-api endpoint on without a domain (CloudFront needs some origin)', () => {
    const [api] = Object.values(
      dev.template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    );
    expect(api?.Properties.DisableExecuteApiEndpoint).toBeFalsy();
    dev.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });
});

describe('WebSocket access logs', { timeout: SYNTH_TIMEOUT_MS }, () => {
  const wsStage = (s: Synthesized) => {
    const [stage] = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: 'live' } }),
    );
    return stage?.Properties;
  };

  it('are off by default: a fresh account has no API Gateway CloudWatch role and the stage would fail', () => {
    expect(wsStage(dev)).toBeDefined();
    expect(wsStage(dev)?.AccessLogSettings).toBeUndefined();
    dev.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('are on with webSocketAccessLogs=true, still without taking over the account-wide setting', () => {
    expect(wsStage(prod)?.AccessLogSettings).toMatchObject({ DestinationArn: expect.anything() });
    prod.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('HTTP API access logs stay on in every stage (HTTP APIs need no account role)', () => {
    for (const s of [dev, prod]) {
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: { DestinationArn: Match.anyValue() },
      });
    }
  });
});

describe('nag', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('has no unacknowledged cdk-nag finding in the prod variant either', () => {
    expect(prod.nagViolations()).toEqual([]);
  });
});
