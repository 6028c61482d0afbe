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
import { AppFunction } from './app-function.ts';
import { bundleFunctions, placeholderBundle } from './bundle-functions.ts';
import { HttpApi } from './http-api.ts';
import { OriginVerifySecret } from './origin-verify-secret.ts';
import { readStackConfig } from './stack-config.ts';
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
  readonly web: WebHosting;
  readonly originVerify: OriginVerifySecret;
  /** Scratch directory of the function bundle; assets are copied out of it, so remove it after synth. */
  readonly bundleDir: string;

  constructor(scope: Construct, id: string, props: RoutineSyncStackProps) {
    super(scope, id, props);
    const config = readStackConfig(this.node);
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const table = props.routeTable;
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'MongoSecret', config.mongoSecretName);

    const specs = functionsOf(table);
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
        bundle,
        code,
      });
      functions.set(spec.name, fn.bindMongoSecret(secret));
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
      routes: table.httpRoutes,
      functions,
      authorizer: byRole('http-authorizer'),
      authorizerCacheSeconds: config.authorizerCacheSeconds,
      throttle,
      logRetention,
    });
    this.webSocketApi =
      table.websocketRoutes.length > 0
        ? new WebSocketApi(this, 'WebSocket', {
            routes: table.websocketRoutes,
            functions,
            authorizer: byRole('websocket-authorizer'),
            throttle,
            logRetention,
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
      for (const route of table.httpRoutes.filter((r) => r.broadcasts))
        functions.get(route.name)?.bindBroadcast(broadcast);
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

    for (const ops of table.opsFunctions.filter((f) => f.runsOnDeploy))
      this.runOnDeploy(ops.name, functions.get(ops.name));
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
      value: this.httpApi.api.apiEndpoint,
      description: 'Answers 403 to direct calls: the API is served through SiteUrl/api/*',
    });
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
