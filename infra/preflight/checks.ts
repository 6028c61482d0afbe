// Read-only checks of what a first `cdk deploy` of one stage needs in this account and region. Each
// check takes the SDK clients it reads through (so tests mock them at the SDK boundary) and reports
// pass / fail / warn with a message that says what to do.
import { type APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parseMongoSecret } from '../../functions/lib/mongo-uri.ts';

export const STATUSES = { pass: 'pass', fail: 'fail', warn: 'warn' } as const;
export type Status = (typeof STATUSES)[keyof typeof STATUSES];
export interface CheckResult {
  name: string;
  status: Status;
  message: string;
}

/** aws-cdk-lib's synthesized templates need bootstrap version 6 or later (the default qualifier). */
export const MIN_BOOTSTRAP_VERSION = 6;
/** Lambda keeps this much of the account's concurrency unreserved; reservations cannot touch it. */
export const UNRESERVED_MINIMUM = 100;

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'Error');

export async function checkBootstrap(cfn: CloudFormationClient, ssm: SSMClient): Promise<CheckResult> {
  const name = 'CDK bootstrap';
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
    const status = Stacks?.[0]?.StackStatus ?? 'missing';
    if (!status.endsWith('_COMPLETE') || status.startsWith('DELETE') || status.includes('ROLLBACK')) {
      return { name, status: 'fail', message: `CDKToolkit stack is ${status}: run \`npx cdk bootstrap\`` };
    }
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }),
    );
    const version = Number(Parameter?.Value);
    if (!(version >= MIN_BOOTSTRAP_VERSION)) {
      return {
        name,
        status: 'fail',
        message: `bootstrap version ${Parameter?.Value ?? '?'} < ${MIN_BOOTSTRAP_VERSION}: run \`npx cdk bootstrap\` again`,
      };
    }
    return { name, status: 'pass', message: `CDKToolkit ${status}, bootstrap version ${version}` };
  } catch (err) {
    if (errorName(err) === 'ValidationError' || errorName(err) === 'ParameterNotFound') {
      return {
        name,
        status: 'fail',
        message: 'not bootstrapped in this account/region: run `npx cdk bootstrap`',
      };
    }
    throw err;
  }
}

export async function checkApiGatewayLogRole(apigw: APIGatewayClient, needed: boolean): Promise<CheckResult> {
  const name = 'API Gateway CloudWatch role';
  const { cloudwatchRoleArn } = await apigw.send(new GetAccountCommand({}));
  if (cloudwatchRoleArn) return { name, status: 'pass', message: `set: ${cloudwatchRoleArn}` };
  return needed
    ? {
        name,
        status: 'fail',
        message:
          'not set, and webSocketAccessLogs=true needs it: set it once per region (docs/deploy.md) or deploy without WebSocket access logs',
      }
    : { name, status: 'pass', message: 'not set; not needed (WebSocket access logs are off)' };
}

export async function checkConcurrency(lambda: LambdaClient, reservedTotal: number): Promise<CheckResult> {
  const name = 'Lambda concurrency';
  const { AccountLimit } = await lambda.send(new GetAccountSettingsCommand({}));
  const limit = AccountLimit?.ConcurrentExecutions ?? 0;
  const unreserved = AccountLimit?.UnreservedConcurrentExecutions ?? 0;
  const room = unreserved - UNRESERVED_MINIMUM;
  const detail = `account limit ${limit}, unreserved ${unreserved}; this stage reserves ${reservedTotal}`;
  if (reservedTotal > room) {
    return {
      name,
      status: 'fail',
      message: `${detail}, but Lambda keeps ${UNRESERVED_MINIMUM} unreserved: ask Service Quotas for more concurrent executions, or deploy with a smaller -c maxDbConnections`,
    };
  }
  return { name, status: 'pass', message: detail };
}

export type PingUri = (uri: string) => Promise<boolean>;

export async function checkMongoSecret(
  secrets: SecretsManagerClient,
  secretName: string,
  ping: PingUri,
): Promise<CheckResult[]> {
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
  } catch (err) {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
    return [
      {
        name: 'MongoDB secret',
        status: 'fail',
        message: `no secret ${secretName}: create it (docs/deploy.md, step 1)`,
      },
    ];
  }
  let uri: string;
  try {
    uri = parseMongoSecret(secretName, value);
  } catch (err) {
    return [{ name: 'MongoDB secret', status: 'fail', message: (err as Error).message }];
  }
  const found: CheckResult = { name: 'MongoDB secret', status: 'pass', message: `${secretName} holds a URI` };
  const reachable = await ping(uri);
  return [
    found,
    reachable
      ? { name: 'MongoDB reachable', status: 'pass', message: 'the URI answers a ping' }
      : {
          name: 'MongoDB reachable',
          status: 'fail',
          message:
            'no answer from the URI within 5 s: check Atlas Network Access (0.0.0.0/0 for Lambda), the user and password',
        },
  ];
}
