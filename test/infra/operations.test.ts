// Operating a stage: alarms to SNS for every listed figure, one dashboard, the on-failure queue of
// async broadcast invocations, JSON logs with retention on every log group (CDK's helpers included),
// X-Ray behind a flag, and reserved concurrency that keeps the stage inside its MongoDB connections.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectionBudget, groupsOf } from '../../infra/cloud/connection-budget.ts';
import { routeTable } from '../../infra/routes.ts';
import { withRealtime } from './route-tables.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';
import { appFunctions } from './template-queries.ts';

const table = withRealtime(routeTable);
let synth: Synthesized;
beforeAll(() => {
  synth = synthStack(table, { alarmEmail: 'ops@example.com', tracing: 'true' });
}, SYNTH_TIMEOUT_MS);

type Alarm = { Properties: Record<string, unknown> };
const alarms = () => Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
const alarmOn = (metricName: string, dimensionValueLogicalId?: string) =>
  alarms().filter((a) => {
    const text = JSON.stringify(a.Properties);
    return (
      text.includes(`"MetricName":"${metricName}"`) &&
      (!dimensionValueLogicalId || text.includes(`"${dimensionValueLogicalId}"`))
    );
  });

describe('alarms', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('all notify one SNS topic (alarm and recovery), which mails alarmEmail', () => {
    const [topicId] = Object.keys(synth.template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
  });

  it("cover each function's errors and throttles", () => {
    for (const [name, fn] of appFunctions(synth.template)) {
      expect(alarmOn('Errors', fn.logicalId).length, name).toBe(1);
      expect(alarmOn('Throttles', fn.logicalId).length, name).toBe(1);
    }
  });

  it('cover the HTTP API 5xx rate, sync-push p99, Atlas reachability and failed pokes', () => {
    const rate = alarms().find((a) => JSON.stringify(a.Properties).includes('100 * errors / requests'));
    expect(JSON.stringify(rate?.Properties)).toContain('"MetricName":"5xx"');
    const push = appFunctions(synth.template).get('sync-push');
    const p99 = alarmOn('Duration', push?.logicalId);
    expect(p99[0]?.Properties).toMatchObject({ Threshold: 2000, EvaluationPeriods: 3 });
    expect(JSON.stringify(p99[0]?.Properties)).toMatch(/"(ExtendedStatistic|Stat)":"p99"/);
    expect(alarmOn('DatabaseUnreachable')).toHaveLength(1);
    expect(alarmOn('PokesFailed')).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('\\$\\.status = 503'),
      MetricTransformations: [
        Match.objectLike({ MetricName: 'DatabaseUnreachable', MetricNamespace: 'RoutineSync/dev' }),
      ],
    });
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [Match.objectLike({ MetricName: 'PokesFailed', MetricValue: '$.failed' })],
    });
  });

  it('send async broadcast invocations that still fail after retries to an SQS queue, which alarms', () => {
    const [queueId] = Object.keys(synth.template.findResources('AWS::SQS::Queue'));
    const broadcast = appFunctions(synth.template).get('broadcast');
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: broadcast?.logicalId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(alarmOn('ApproximateNumberOfMessagesVisible', queueId)).toHaveLength(1);
  });
});

describe('dashboard', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('is one dashboard showing the same figures', () => {
    const dashboards = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const title of [
      'HTTP API 5xx',
      'Function errors',
      'Function throttles',
      'sync-push p99',
      'Atlas reachability',
      'WebSocket broadcast failures',
    ]) {
      expect(body).toContain(title);
    }
  });
});

describe('logs', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('every function logs in Lambda JSON format, and every Lambda function of the stack names a log group with retention', () => {
    const groups = synth.template.findResources('AWS::Logs::LogGroup');
    for (const [name, fn] of appFunctions(synth.template)) {
      expect(fn.properties.LoggingConfig, name).toMatchObject({ LogFormat: 'JSON' });
    }
    const all = Object.entries(synth.template.findResources('AWS::Lambda::Function'));
    expect(all.length).toBeGreaterThan(appFunctions(synth.template).size); // CDK's helpers are in there
    for (const [id, fn] of all) {
      const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect(ref, id).toBeDefined();
      expect(groups[ref]?.Properties.RetentionInDays, id).toBe(14);
    }
  });

  it('leaves no log group without retention', () => {
    for (const [id, group] of Object.entries(synth.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });
});

describe('tracing', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('turns on X-Ray active tracing for every function with tracing=true, and tells the handlers', () => {
    for (const [name, fn] of appFunctions(synth.template)) {
      expect((fn.properties as { TracingConfig?: unknown }).TracingConfig, name).toEqual({ Mode: 'Active' });
      expect(fn.properties.Environment.Variables.TRACING, name).toBe('true');
    }
  });
});

describe('connection budget', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('reserves concurrency per function so that all containers together stay within maxDbConnections', () => {
    const fns = appFunctions(synth.template);
    let total = 0;
    for (const [name, fn] of fns) {
      const reserved = (fn.properties as { ReservedConcurrentExecutions?: number })
        .ReservedConcurrentExecutions;
      expect(reserved, name).toBeGreaterThanOrEqual(1);
      total += reserved ?? 0;
    }
    // Pool of 2 plus the monitoring connection per container; the default budget fits M0's 500.
    expect(total * 3).toBeLessThanOrEqual(400);
    expect(synth.stack.connectionBudget.worstCaseConnections).toBe(total * 3);
  });

  it('gives the sync functions and the authorizers more than plain API routes, ensure-indexes one', () => {
    const { reserved } = synth.stack.connectionBudget;
    expect(reserved.get('sync-push')).toBeGreaterThan(reserved.get('tasks-create') ?? 0);
    expect(reserved.get('authorizer')).toBeGreaterThan(reserved.get('tasks-create') ?? 0);
    expect(reserved.get('ensure-indexes')).toBe(1);
  });

  it('budgets the WebSocket ticket with the realtime functions: every device asks for one at each (re)connect', () => {
    // After a gateway restart or a deploy every connected device reconnects at once; one container
    // for the ticket throttles all but one of them (seen in the chaos suite on the container runtime).
    const { reserved, groups } = synth.stack.connectionBudget;
    expect(groups.get('sync-ws-ticket')).toBe('realtime');
    expect(reserved.get('sync-ws-ticket')).toBe(reserved.get('ws-connect'));
    expect(reserved.get('sync-ws-ticket')).toBeGreaterThan(reserved.get('tasks-create') ?? 0);
  });

  it('scales with maxDbConnections and refuses a budget too small for one container per function', () => {
    const groups = groupsOf(table);
    const big = connectionBudget(groups, 1500, 2);
    expect(big.worstCaseConnections).toBeLessThanOrEqual(1500);
    expect(big.reserved.get('sync-push')).toBeGreaterThan(
      synth.stack.connectionBudget.reserved.get('sync-push') ?? 0,
    );
    expect(() => connectionBudget(groups, 30, 2)).toThrow(/maxDbConnections=30 allows 10 containers/);
    const tight = connectionBudget(groups, groups.size * 3, 2);
    expect([...tight.reserved.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('nag', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('has no unacknowledged cdk-nag finding with alarms and tracing on', () => {
    expect(synth.nagViolations()).toEqual([]);
  });
});
