// Deploy-time settings, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). Nothing here
// looks anything up in an AWS account, so synth stays offline.
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as v from 'valibot';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../authorizer-cache.ts';

const positiveInt = v.pipe(v.unknown(), v.transform(Number), v.number(), v.integer(), v.minValue(1));

export const stackConfigSchema = v.object({
  /** Name of the Secrets Manager secret holding the MongoDB connection string. */
  mongoSecretName: v.optional(v.pipe(v.string(), v.minLength(1)), 'routine-sync/mongodb-uri'),
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
  /** Days to keep function and API access logs (a CloudWatch Logs retention value). */
  logRetentionDays: v.optional(
    v.pipe(
      positiveInt,
      v.check(
        (days) => Object.values(logs.RetentionDays).includes(days),
        'logRetentionDays must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, …)',
      ),
    ),
    30,
  ),
  /** Steady-state requests per second for the whole HTTP API stage, and its burst. */
  throttleRateLimit: v.optional(positiveInt, 100),
  throttleBurstLimit: v.optional(positiveInt, 200),
  /** How long the HTTP authorizer's answer for one cookie header is reused. */
  authorizerCacheSeconds: v.optional(
    v.pipe(v.unknown(), v.transform(Number), v.number(), v.minValue(0), v.maxValue(3600)),
    AUTHORIZER_CACHE_TTL_SECONDS,
  ),
});

export type StackConfig = v.InferOutput<typeof stackConfigSchema>;

const KEYS = Object.keys(stackConfigSchema.entries) as Array<keyof StackConfig>;

export function readStackConfig(node: Node): StackConfig {
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, node.tryGetContext(key)]).filter(([, value]) => value !== undefined),
  );
  const result = v.safeParse(stackConfigSchema, raw);
  if (!result.success) {
    const lines = result.issues.map((issue) => `  ${v.getDotPath(issue) ?? '?'}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n${lines.join('\n')}`);
  }
  return result.output;
}
