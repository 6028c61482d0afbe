// The whole cloud side in one stack, generated from the route table: one function per entry, the
// HTTP API, the WebSocket API (when the table has WebSocket routes), the site, and the deploy step
// that ensures MongoDB indexes.
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as triggers from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { functionsOf, type RouteTable } from '../routes.ts';
import { AppFunction, MONGODB_POOL_SIZE } from './app-function.ts';
import { bundleFunctions, placeholderBundle } from './bundle-functions.ts';
import { type ConnectionBudget, connectionBudget, groupsOf } from './connection-budget.ts';
import { cfnOf, giveHelperFunctionsLogGroups } from './helper-log-groups.ts';
import { HttpApi } from './http-api.ts';
import { Monitoring } from './monitoring.ts';
import { OriginVerifySecret } from './origin-verify-secret.ts';
import { readStackConfig, type StackConfig } from './stack-config.ts';
import { WebHosting } from './web-hosting.ts';
import { WebSocketApi } from './websocket-api.ts';

export interface RoutineSyncStackProps extends StackProps {
  /** Repository root: handler entries, package-lock.json and web/dist are resolved from it. */
  readonly projectRoot: string;
  readonly routeTable: RouteTable;
  /** The built site; default `<projectRoot>/web/dist`. */
  readonly webDistDir?: string;
}

export class RoutineSyncStack extends Stack {
  readonly functions: ReadonlyMap<string, AppFunction>;
  readonly httpApi: HttpApi;
  readonly webSocketApi: WebSocketApi | undefined;
  readonly broadcast: AppFunction | undefined;
  /** Functions allowed to post to and close WebSocket connections: broadcast, and those revoking sessions. */
  readonly connectionManagers: AppFunction[] = [];
  /** The mutation functions, which may post (only post) to connections: see bindConnectionPosting. */
  readonly connectionPosters: AppFunction[] = [];
  readonly web: WebHosting;
  readonly originVerify: OriginVerifySecret;
  readonly config: StackConfig;
  readonly monitoring: Monitoring;
  readonly connectionBudget: ConnectionBudget;
  /** Scratch directory of the function bundle; assets are copied out of it, so remove it after synth. */
  readonly bundleDir: string;

  constructor(scope: Construct, id: string, props: RoutineSyncStackProps) {
    super(scope, id, props);
    const config = readStackConfig(this.node);
    this.config = config;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const { removalPolicy } = config;
    const table = props.routeTable;
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'MongoSecret', config.mongoSecretName);

    const specs = functionsOf(table);
    const budget = connectionBudget(groupsOf(table), config.maxDbConnections, MONGODB_POOL_SIZE);
    this.connectionBudget = budget;
    // `bundlingRequired` is false when the context skips bundling for this stack (the tests).
    const bundle = this.bundlingRequired
      ? bundleFunctions(specs, { projectRoot: props.projectRoot })
      : placeholderBundle();
    this.bundleDir = bundle.dir;
    const code = lambda.Code.fromAsset(bundle.dir);
    const functions = new Map<string, AppFunction>();
    for (const spec of specs) {
      const fn = new AppFunction(this, pascalCase(spec.name), {
        ...spec,
        projectRoot: props.projectRoot,
        logRetention,
        removalPolicy,
        reservedConcurrency: budget.reserved.get(spec.name) ?? 1,
        tracing: config.tracing,
        bundle,
        code,
      });
      functions.set(spec.name, fn.bindMongo(secret, config.mongoDbName));
    }
    this.functions = functions;
    this.originVerify = new OriginVerifySecret(this, 'OriginVerify', {
      versionId: config.originVerifySecretVersion,
    });
    for (const route of table.httpRoutes)
      functions.get(route.name)?.bindOriginSecret(this.originVerify.secret);
    const byRole = (role: string) => {
      const entry = table.internalFunctions.find((f) => f.role === role);
      return entry && functions.get(entry.name);
    };
    const throttle = { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit };

    this.httpApi = new HttpApi(this, 'Http', {
      apiName: `${this.stackName}-http`,
      routes: table.httpRoutes,
      functions,
      authorizer: byRole('http-authorizer'),
      authorizerCacheSeconds: config.authorizerCacheSeconds,
      throttle,
      logRetention,
      removalPolicy,
      originHeader: this.originVerify.header,
      customDomain: config.apiDomain,
    });
    this.webSocketApi =
      table.websocketRoutes.length > 0
        ? new WebSocketApi(this, 'WebSocket', {
            apiName: `${this.stackName}-websocket`,
            routes: table.websocketRoutes,
            functions,
            authorizer: byRole('websocket-authorizer'),
            throttle,
            logRetention,
            removalPolicy,
            accessLogs: config.webSocketAccessLogs,
          })
        : undefined;

    const broadcast = byRole('broadcast');
    this.broadcast = broadcast;
    // Revoking sessions closes their sockets (functions/lib/auth/revocation.ts).
    const revoking = table.httpRoutes.filter((r) => r.closesConnections).map((r) => functions.get(r.name));
    for (const fn of [broadcast, ...revoking]) {
      if (!fn || !this.webSocketApi) continue;
      fn.bindConnectionManagement(this.webSocketApi.api, this.webSocketApi.stage);
      this.connectionManagers.push(fn);
    }
    if (broadcast) {
      for (const route of table.httpRoutes.filter((r) => r.broadcasts)) {
        const fn = functions.get(route.name);
        if (!fn) continue;
        fn.bindBroadcast(broadcast);
        // A few pokes are posted by the writer itself; more, and the ones that fail, go to broadcast.
        if (this.webSocketApi) {
          fn.bindConnectionPosting(this.webSocketApi.api, this.webSocketApi.stage);
          this.connectionPosters.push(fn);
        }
      }
    }

    this.web = new WebHosting(this, 'Web', {
      distDir: props.webDistDir ?? join(props.projectRoot, 'web', 'dist'),
      apiDomainName: this.httpApi.domainName,
      originVerify: { header: this.originVerify.header, value: this.originVerify.headerValue },
      webSocket: this.webSocketApi && {
        url: this.webSocketApi.url,
        origin: `wss://${this.webSocketApi.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      },
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions,
      httpApi: this.httpApi.api,
      broadcast,
      alarmEmail: config.alarmEmail,
      namespace: `RoutineSync/${config.stage}`,
      removalPolicy,
    });

    for (const ops of table.opsFunctions.filter((f) => f.runsOnDeploy))
      this.runOnDeploy(ops.name, functions.get(ops.name));
    giveHelperFunctionsLogGroups(this, new Set([...functions.values()].map((f) => cfnOf(f.fn))), {
      retention: logRetention,
      removalPolicy,
    });
    this.outputs();
  }

  /** Runs after every deployment that changes the code (one asset for all functions, index lists included). */
  private runOnDeploy(name: string, fn: AppFunction | undefined): void {
    if (!fn) return;
    new triggers.Trigger(this, `${pascalCase(name)}OnDeploy`, {
      handler: fn.fn,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(2),
      executeOnHandlerChange: true,
    });
  }

  private outputs(): void {
    new CfnOutput(this, 'SiteUrl', { value: this.web.url, description: 'Open this in a browser' });
    new CfnOutput(this, 'HttpApiUrl', {
      value: this.httpApi.customDomain ? `https://${this.httpApi.domainName}` : this.httpApi.api.apiEndpoint,
      description: 'Refuses direct calls (401/403): the API is served through SiteUrl/api/*',
    });
    if (this.httpApi.customDomain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.httpApi.customDomain.regionalDomainName,
        description: `Point a CNAME (or alias) record for ${this.httpApi.domainName} at this name`,
      });
    }
    new CfnOutput(this, 'Stage', { value: this.config.stage });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${this.monitoring.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'DatabaseName', { value: this.config.mongoDbName });
    // `npm run invoke --http` adds the header from it; the value itself is never an output.
    new CfnOutput(this, 'OriginVerifySecretArn', { value: this.originVerify.secret.secretArn });
    if (this.webSocketApi) new CfnOutput(this, 'WebSocketUrl', { value: this.webSocketApi.url });
    new CfnOutput(this, 'Region', { value: this.region });
    // `npm run invoke` maps route-table names to physical names through this (cdk-outputs.json).
    const names = Object.fromEntries([...this.functions].map(([name, f]) => [name, f.functionName]));
    new CfnOutput(this, 'FunctionNames', {
      value: this.toJsonString(names),
      description: 'Route-table name → Lambda function name (JSON)',
    });
  }
}

function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
