// `npm run preflight [-- -c stage=prod -c key=value …]`: what a first `cdk deploy` of this stage needs
// and lacks in the account and region of your credentials. Read-only: it describes, never creates.
// Exit codes: 0 ready, 1 something is missing (each line says what to do), 2 bad arguments or no credentials.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MongoClient } from 'mongodb';
import { MONGODB_POOL_SIZE } from '../cloud/app-function.ts';
import { connectionBudget, groupsOf } from '../cloud/connection-budget.ts';
import { parseStackConfig, type StackConfig } from '../cloud/stack-config.ts';
import { routeTable } from '../routes.ts';
import {
  type CheckResult,
  checkApiGatewayLogRole,
  checkBootstrap,
  checkConcurrency,
  checkMongoSecret,
  type PingUri,
} from './checks.ts';

export interface PreflightClients {
  sts: STSClient;
  cfn: CloudFormationClient;
  ssm: SSMClient;
  apigw: APIGatewayClient;
  lambda: LambdaClient;
  secrets: SecretsManagerClient;
}

/** The context cdk.json gives every synth, which `-c` arguments override as they do for cdk. */
function cdkJsonContext(projectRoot: string): Record<string, unknown> {
  const file = join(projectRoot, 'cdk.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

export function parseArgs(argv: readonly string[], base: Record<string, unknown>): StackConfig {
  const context = { ...base };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const pair = arg === '-c' || arg === '--context' ? argv[++i] : undefined;
    if (!pair?.includes('=')) throw new Error(`Unexpected argument ${arg}: use -c key=value (as with cdk)`);
    const at = pair.indexOf('=');
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return parseStackConfig(context);
}

export const pingUri: PingUri = async (uri) => {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
};

export async function runPreflight(
  config: StackConfig,
  clients: PreflightClients,
  ping: PingUri = pingUri,
): Promise<CheckResult[]> {
  const reserved = connectionBudget(
    groupsOf(routeTable),
    config.maxDbConnections,
    MONGODB_POOL_SIZE,
  ).reserved;
  const reservedTotal = [...reserved.values()].reduce((a, b) => a + b, 0);
  return [
    await checkBootstrap(clients.cfn, clients.ssm),
    await checkApiGatewayLogRole(clients.apigw, config.webSocketAccessLogs),
    await checkConcurrency(clients.lambda, reservedTotal),
    ...(await checkMongoSecret(clients.secrets, config.mongoSecretName, ping)),
  ];
}

export function format(results: readonly CheckResult[]): string {
  const mark = { pass: 'ok  ', fail: 'FAIL', warn: 'warn' } as const;
  return results.map((r) => `${mark[r.status]}  ${r.name}: ${r.message}`).join('\n');
}

export async function main(
  argv: readonly string[],
  clients: PreflightClients,
  ping?: PingUri,
): Promise<number> {
  let config: StackConfig;
  try {
    config = parseArgs(argv, cdkJsonContext(process.cwd()));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  try {
    const who = await clients.sts.send(new GetCallerIdentityCommand({}));
    console.log(
      `Stage ${config.stage} (stack ${config.stackName}) in account ${who.Account}, region ${await clients.sts.config.region()}`,
    );
  } catch (err) {
    console.error(
      `No usable AWS credentials (${(err as Error).name}): configure them first (docs/deploy.md)`,
    );
    return 2;
  }
  const results = await runPreflight(config, clients, ping);
  console.log(format(results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

function defaultClients(): PreflightClients {
  return {
    sts: new STSClient({}),
    cfn: new CloudFormationClient({}),
    ssm: new SSMClient({}),
    apigw: new APIGatewayClient({}),
    lambda: new LambdaClient({}),
    secrets: new SecretsManagerClient({}),
  };
}

if (process.argv[1]?.endsWith('preflight/main.ts')) {
  process.exitCode = await main(process.argv.slice(2), defaultClients());
}
