// What an operator watches: alarms to one SNS topic (e-mail with `-c alarmEmail=`), and one dashboard
// with the same figures.
//
//   HTTP API 5xx rate ─┐  each function: errors, throttles ─┐  sync-push p99 duration ─┐
//   pokes that failed ─┼─ (metric filter on broadcast's summary line)                   ├─► alarms ─► SNS ─► e-mail
//   failed async broadcast invocations (on-failure SQS queue) ─┘  Atlas unreachable ────┘
//   (health answering 503, metric filter on its summary line)
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppFunction } from './app-function.ts';

export interface MonitoringProps {
  readonly functions: ReadonlyMap<string, AppFunction>;
  readonly httpApi: apigw.HttpApi;
  readonly broadcast: AppFunction | undefined;
  readonly alarmEmail: string | undefined;
  /** CloudWatch namespace of the metrics the stack derives from logs; one per stage. */
  readonly namespace: string;
  readonly removalPolicy: RemovalPolicy;
}

/** Thresholds, each with why it is where it is. */
export const ALARM_THRESHOLDS = {
  /** Percent of HTTP API requests answered 5xx over 5 minutes: a handful of users retrying is normal. */
  http5xxPercent: 1,
  /** sync-push p99 in ms over three 5-minute periods: the 10 s timeout is far away, users feel 2 s. */
  syncPushP99Ms: 2_000,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly failedBroadcasts: sqs.Queue | undefined;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'routine-sync alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.failedBroadcasts =
      props.broadcast && this.broadcastFailureQueue(props.broadcast, props.removalPolicy);

    const http5xx = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        requests: props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      label: 'HTTP API 5xx %',
      period: FIVE_MINUTES,
    });
    this.alarm('Http5xxRate', http5xx, ALARM_THRESHOLDS.http5xxPercent, 'HTTP API answered over 1% 5xx');
    const rows: cloudwatch.IWidget[][] = [[graph('HTTP API 5xx %', [http5xx])]];

    const errors: cloudwatch.IMetric[] = [];
    const throttles: cloudwatch.IMetric[] = [];
    for (const [name, fn] of props.functions) {
      const e = fn.fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: name });
      const t = fn.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: name });
      this.alarm(`${fn.node.id}Errors`, e, 1, `${name}: the function failed (errors ≥ 1 in 5 min)`);
      this.alarm(`${fn.node.id}Throttles`, t, 1, `${name}: throttled at its reserved concurrency`);
      errors.push(e);
      throttles.push(t);
    }
    rows.push([graph('Function errors', errors), graph('Function throttles', throttles)]);

    const push = props.functions.get('sync-push');
    if (push) {
      const p99 = push.fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'sync-push p99' });
      this.alarm('SyncPushP99', p99, ALARM_THRESHOLDS.syncPushP99Ms, 'sync-push p99 above 2 s', 3);
      rows.push([graph('sync-push p99 duration (ms)', [p99])]);
    }
    rows.push(this.logMetrics(props));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { widgets: rows });
  }

  /** Failed asynchronous invocations of broadcast (after Lambda's two retries) land here, and alarm. */
  private broadcastFailureQueue(broadcast: AppFunction, removalPolicy: RemovalPolicy): sqs.Queue {
    const queue = new sqs.Queue(this, 'FailedBroadcasts', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      removalPolicy,
    });
    broadcast.fn.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    return queue;
  }

  /** Metrics read from the functions' summary lines (functions/lib/logger.ts): no extra API calls. */
  private logMetrics(props: MonitoringProps): cloudwatch.IWidget[] {
    const widgets: cloudwatch.IWidget[] = [];
    const health = props.functions.get('health');
    if (health) {
      const unreachable = this.logMetric(health.logGroup, 'DatabaseUnreachable', props.namespace, {
        pattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.message', '=', 'request'),
          logs.FilterPattern.numberValue('$.status', '=', 503),
        ),
        value: '1',
      });
      this.alarm('AtlasUnreachable', unreachable, 1, 'health could not reach MongoDB (answered 503)');
      const healthErrors = health.fn.metricErrors({
        period: FIVE_MINUTES,
        statistic: 'Sum',
        label: 'health errors',
      });
      widgets.push(graph('Atlas reachability (health 503s, errors)', [unreachable, healthErrors]));
    }
    if (props.broadcast) {
      const failed = this.logMetric(props.broadcast.logGroup, 'PokesFailed', props.namespace, {
        pattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.message', '=', 'request'),
          logs.FilterPattern.numberValue('$.failed', '>', 0),
        ),
        value: '$.failed',
      });
      this.alarm('BroadcastPokesFailed', failed, 1, 'broadcast could not post pokes to live connections');
      const widgetMetrics: cloudwatch.IMetric[] = [failed];
      if (this.failedBroadcasts) {
        const queued = this.failedBroadcasts.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'failed async invocations (queued)',
        });
        this.alarm(
          'BroadcastInvocationsFailed',
          queued,
          1,
          'async broadcast invocations failed after retries',
        );
        widgetMetrics.push(queued);
      }
      widgets.push(graph('WebSocket broadcast failures', widgetMetrics));
    }
    return widgets;
  }

  private logMetric(
    group: logs.ILogGroup,
    name: string,
    namespace: string,
    filter: { pattern: logs.IFilterPattern; value: string },
  ): cloudwatch.Metric {
    const metricFilter = new logs.MetricFilter(this, name, {
      logGroup: group,
      filterPattern: filter.pattern,
      metricNamespace: namespace,
      metricName: name,
      metricValue: filter.value,
    });
    return metricFilter.metric({ period: FIVE_MINUTES, statistic: 'Sum', label: name });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    periods = 1,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not a failure: an idle stage must stay OK.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 12, height: 6 });
}
