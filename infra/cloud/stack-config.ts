// Deploy-time settings, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). Nothing here
// looks anything up in an AWS account, so synth stays offline. A stage (`-c stage=prod`) derives the
// names that must differ between two copies of the app in one account and one Atlas cluster; any
// derived value can still be overridden on its own.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as v from 'valibot';
import { AUTHORIZER_CACHE_TTL_SECONDS, REVOCATION_BOUND_SECONDS } from '../authorizer-cache.ts';

const positiveInt = v.pipe(v.unknown(), v.transform(Number), v.number(), v.integer(), v.minValue(1));
const flag = v.pipe(
  v.union([v.boolean(), v.picklist(['true', 'false'])]),
  v.transform((value) => value === true || value === 'true'),
);
const retentionDays = v.pipe(
  positiveInt,
  v.check(
    (days) => Object.values(logs.RetentionDays).includes(days),
    'logRetentionDays must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, …)',
  ),
);

const CACHE_SECONDS_MESSAGE =
  `authorizerCacheSeconds must be whole seconds from 0 to ${REVOCATION_BOUND_SECONDS}: a signed-out ` +
  `session keeps working as long as its cached answer, and sign-out must take effect within ${REVOCATION_BOUND_SECONDS} s`;

/** Stages whose logs (and log groups) outlive `cdk destroy` and are kept longer. */
export const RETAINED_STAGES: readonly string[] = ['prod'];

/** Fits the free M0 tier's 500 connections with room for Atlas' own monitoring (docs/deploy.md). */
export const DEFAULT_MAX_DB_CONNECTIONS = 400;

export const stackConfigSchema = v.object({
  /** `dev`, `prod`, `staging-2`…: lower case, it goes into stack, database and secret names. */
  stage: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z][a-z0-9-]{0,19}$/, 'stage must be 1–20 of a-z, 0-9 and -, starting with a letter'),
    ),
    'dev',
  ),
  /** Default `RoutineSync-<stage>`. */
  stackName: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'invalid stack name'))),
  /** Name of the Secrets Manager secret holding the MongoDB connection string; default `routine-sync/<stage>/mongodb-uri`. */
  mongoSecretName: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Database on the cluster; default `routine_sync_<stage>`, so stages can share one cluster. */
  mongoDbName: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,63}$/, 'mongoDbName must be 1–63 of A-Z, a-z, 0-9, _ and -'),
    ),
  ),
  /**
   * Secrets Manager version id of the origin-verify secret that CloudFront's header resolves to; set
   * it after a rotation (docs/deploy.md). Unset: the version current when the distribution last changed.
   */
  originVerifySecretVersion: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9-]{32,64}$/, 'originVerifySecretVersion must be a Secrets Manager VersionId'),
    ),
  ),
  /** Days to keep function and API logs; default 90 for retained stages, 14 otherwise. */
  logRetentionDays: v.optional(retentionDays),
  /** Steady-state requests per second for each API stage, and its burst. */
  throttleRateLimit: v.optional(positiveInt, 100),
  throttleBurstLimit: v.optional(positiveInt, 200),
  /**
   * How long the HTTP authorizer's answer for one identity (cookie + origin header) is reused. A
   * cached answer outlives a signed-out session, so the revocation bound caps it (API Gateway would
   * take up to 3600).
   */
  authorizerCacheSeconds: v.optional(
    v.pipe(
      v.unknown(),
      v.transform(Number),
      v.number(CACHE_SECONDS_MESSAGE),
      v.integer(CACHE_SECONDS_MESSAGE),
      v.minValue(0, CACHE_SECONDS_MESSAGE),
      v.maxValue(REVOCATION_BOUND_SECONDS, CACHE_SECONDS_MESSAGE),
    ),
    AUTHORIZER_CACHE_TTL_SECONDS,
  ),
  /**
   * WebSocket stage access logs need API Gateway's account-wide CloudWatch Logs role, which a fresh
   * account lacks (the stage would fail to deploy): off unless asked for (docs/deploy.md).
   */
  webSocketAccessLogs: v.optional(flag, false),
  /** Custom domain for the HTTP API (with `certificateArn`): the execute-api endpoint is then disabled. */
  apiDomain: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'apiDomain must be a DNS name',
      ),
    ),
  ),
  /** ACM certificate for `apiDomain`, in the stack's region. */
  certificateArn: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
        'certificateArn must be an ACM certificate ARN',
      ),
    ),
  ),
  /** Alarm notifications go to this address (an SNS e-mail subscription to confirm once). */
  alarmEmail: v.optional(v.pipe(v.string(), v.email('alarmEmail must be an e-mail address'))),
  /** X-Ray active tracing, MongoDB commands as subsegments. */
  tracing: v.optional(flag, false),
  /** The cluster's connection limit this stage may use; reserved concurrency is derived from it. */
  maxDbConnections: v.optional(
    v.pipe(positiveInt, v.minValue(20, 'maxDbConnections must be at least 20')),
    DEFAULT_MAX_DB_CONNECTIONS,
  ),
});

type RawConfig = v.InferOutput<typeof stackConfigSchema>;

export type StackConfig = Omit<
  RawConfig,
  'stackName' | 'mongoSecretName' | 'mongoDbName' | 'logRetentionDays' | 'apiDomain' | 'certificateArn'
> & {
  readonly stackName: string;
  readonly mongoSecretName: string;
  readonly mongoDbName: string;
  readonly logRetentionDays: number;
  /** RETAIN for retained stages (logs survive `cdk destroy`), DESTROY otherwise. */
  readonly removalPolicy: RemovalPolicy;
  readonly apiDomain: { name: string; certificateArn: string } | undefined;
};

const KEYS = Object.keys(stackConfigSchema.entries) as Array<keyof RawConfig>;

export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
  const result = v.safeParse(stackConfigSchema, raw);
  if (!result.success) {
    const lines = result.issues.map((issue) => `  ${v.getDotPath(issue) ?? '?'}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n${lines.join('\n')}`);
  }
  const c = result.output;
  if ((c.apiDomain === undefined) !== (c.certificateArn === undefined)) {
    throw new Error('Invalid CDK context:\n  apiDomain and certificateArn go together: set both or neither');
  }
  const retained = RETAINED_STAGES.includes(c.stage);
  return {
    ...c,
    stackName: c.stackName ?? `RoutineSync-${c.stage}`,
    mongoSecretName: c.mongoSecretName ?? `routine-sync/${c.stage}/mongodb-uri`,
    mongoDbName: c.mongoDbName ?? `routine_sync_${c.stage.replaceAll('-', '_')}`,
    logRetentionDays: c.logRetentionDays ?? (retained ? 90 : 14),
    removalPolicy: retained ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    apiDomain:
      c.apiDomain && c.certificateArn ? { name: c.apiDomain, certificateArn: c.certificateArn } : undefined,
  };
}

export function readStackConfig(node: Node): StackConfig {
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, node.tryGetContext(key)]).filter(([, value]) => value !== undefined),
  );
  return parseStackConfig(raw);
}
