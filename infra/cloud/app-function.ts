// The house construct for every Lambda of the app: the defaults are set here once (Node.js 22, arm64,
// own role and log group, JSON log format, source maps on, timeout from the route table, reserved
// concurrency from the connection budget, X-Ray when asked for), and each `bind…()` grants
// exactly one access and sets the environment that goes with it, so a function can never hold a
// permission without knowing where to use it (or the reverse). The code is the one ESM bundle of
// all functions (bundle-functions.ts: esbuild, createRequire banner, linked source maps).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IWebSocketApi, IWebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FUNCTION_MEMORY_MB } from '../routes.ts';
import type { FunctionBundle } from './bundle-functions.ts';

export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  // 512 MB buys enough CPU for the TLS handshake of a cold MongoDB connection (~1/3 vCPU).
  memorySize: FUNCTION_MEMORY_MB,
} as const;

/** Connections one container may open to the primary for operations (its monitor adds one). */
export const MONGODB_POOL_SIZE = 2;

export interface AppFunctionProps {
  /** Route-table name: `health`, `tasks-create`, … */
  readonly name: string;
  /** Handler module relative to the repository root. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Concurrent executions this function may use (and holds back from the account): connection-budget.ts. */
  readonly reservedConcurrency: number;
  /** X-Ray active tracing; the handlers then record MongoDB commands as subsegments. */
  readonly tracing: boolean;
  /** The bundle of all functions (or its placeholder when the stack skips bundling). */
  readonly bundle: FunctionBundle;
  /** `Code.fromAsset(bundle.dir)`, one instance shared by every function: one asset, one upload. */
  readonly code: lambda.Code;
}

export class AppFunction extends Construct {
  readonly name: string;
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.name = props.name;
    const entry = resolve(props.projectRoot, props.entry);
    if (!existsSync(entry)) {
      throw new Error(`Function "${props.name}": handler file ${props.entry} does not exist`);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // An own role instead of the managed AWSLambdaBasicExecutionRole: it may write to this log
    // group only, not create or write any log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `routine-sync function ${props.name}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // NodejsFunction with prebuilt `code`: the entry file is checked above, esbuild ran once for all.
    this.fn = new NodejsFunction(this, 'Fn', {
      ...FUNCTION_DEFAULTS,
      code: props.code,
      handler: props.bundle.handlerOf(props.name),
      timeout: Duration.seconds(props.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      // Lambda's own lines (START, REPORT, errors) as JSON too, so one query language reads them all;
      // functions/lib/logger.ts writes the application's lines as JSON with the same request id.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      description: `routine-sync ${props.name} (${props.entry})`,
      environment: {
        APP_FUNCTION_NAME: props.name,
        NODE_OPTIONS: '--enable-source-maps',
        // One invocation at a time per container: see functions/lib/mongo.ts and the connection budget.
        MONGODB_MAX_POOL_SIZE: String(MONGODB_POOL_SIZE),
        POWERTOOLS_SERVICE_NAME: 'routine-sync',
        ...(props.tracing ? { TRACING: 'true' } : {}),
      },
    });
  }

  get functionName(): string {
    return this.fn.functionName;
  }

  get functionArn(): string {
    return this.fn.functionArn;
  }

  /** The MongoDB connection string (read once per container by functions/lib/mongo-uri.ts) and the stage's database. */
  bindMongo(secret: ISecret, dbName: string): this {
    this.fn.addEnvironment('MONGODB_DB', dbName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        // An imported-by-name secret's ARN ends in `-??????` (the random suffix AWS appends).
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
    this.fn.addEnvironment('MONGODB_SECRET_ARN', secret.secretArn);
    return this;
  }

  /** HTTP routes accept only requests carrying CloudFront's origin secret (functions/lib/origin-verify.ts). */
  bindOriginSecret(secret: ISecret): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    this.fn.addEnvironment('ORIGIN_VERIFY_SECRET_ARN', secret.secretArn);
    return this;
  }

  /** Mutations poke the user's other devices by invoking `broadcast` asynchronously. */
  bindBroadcast(broadcast: AppFunction): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [broadcast.functionArn],
      }),
    );
    this.fn.addEnvironment('BROADCAST_FUNCTION_NAME', broadcast.functionName);
    return this;
  }

  /**
   * Mutations post pokes to a few connections themselves (functions/lib/realtime/poke-other-devices.ts):
   * PostToConnection only (`POST` in the @connections ARN), never a connection's info or its closing.
   */
  bindConnectionPosting(api: IWebSocketApi, stage: IWebSocketStage): this {
    return this.grantConnections(api, stage, 'POST');
  }

  /** `broadcast` posts to (and drops) connections of this one WebSocket API stage. */
  bindConnectionManagement(api: IWebSocketApi, stage: IWebSocketStage): this {
    return this.grantConnections(api, stage, '*');
  }

  /** ManageConnections on the stage's `@connections` for `method` (`*`: every method), and the endpoint. */
  private grantConnections(api: IWebSocketApi, stage: IWebSocketStage, method: 'POST' | '*'): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: [
          Stack.of(this).formatArn({
            service: 'execute-api',
            resource: api.apiId,
            resourceName: `${stage.stageName}/${method}/@connections/*`,
          }),
        ],
      }),
    );
    this.fn.addEnvironment('WS_MANAGEMENT_ENDPOINT', stage.callbackUrl);
    return this;
  }

  /** Any plain setting a handler reads from its environment. */
  bindEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }
}
