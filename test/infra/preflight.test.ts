// `npm run preflight` against AWS SDK clients mocked at the SDK boundary (aws-sdk-client-mock): what a
// fresh account lacks is reported with what to do, and the exit code says whether to deploy.
import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseStackConfig } from '../../infra/cloud/stack-config.ts';
import { main, type PreflightClients, pingUri, runPreflight } from '../../infra/preflight/main.ts';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

const clients: PreflightClients = {
  sts: new STSClient({ region: 'eu-west-1' }),
  cfn: new CloudFormationClient({ region: 'eu-west-1' }),
  ssm: new SSMClient({ region: 'eu-west-1' }),
  apigw: new APIGatewayClient({ region: 'eu-west-1' }),
  lambda: new LambdaClient({ region: 'eu-west-1' }),
  secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
};
const sts = mockClient(clients.sts);
const cfn = mockClient(clients.cfn);
const ssm = mockClient(clients.ssm);
const apigw = mockClient(clients.apigw);
const lambda = mockClient(clients.lambda);
const secrets = mockClient(clients.secrets);

let db: TestMongo;
beforeAll(async () => {
  db = await startTestMongo();
});
afterAll(async () => {
  await db?.stop();
});

function readyAccount(uri: string): void {
  for (const m of [sts, cfn, ssm, apigw, lambda, secrets]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'CDKToolkit', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
  });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '29' } });
  apigw.on(GetAccountCommand).resolves({});
  lambda.on(GetAccountSettingsCommand).resolves({
    AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
  });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'routine-sync/dev/mongodb-uri' })
    .resolves({ SecretString: uri });
}

const dev = parseStackConfig({});
const byName = (results: Array<{ name: string; status: string; message: string }>, name: string) =>
  results.find((r) => r.name === name);

describe('preflight', () => {
  beforeEach(() => readyAccount(db.uri));

  it('passes every check in a ready account, reaching the database the secret names', async () => {
    const results = await runPreflight(dev, clients);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['CDK bootstrap', 'pass'],
      ['API Gateway CloudWatch role', 'pass'],
      ['Lambda concurrency', 'pass'],
      ['MongoDB secret', 'pass'],
      ['MongoDB reachable', 'pass'],
    ]);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'routine-sync/dev/mongodb-uri',
    });
  });

  it('says to bootstrap when the CDKToolkit stack is missing or its version too old', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id CDKToolkit does not exist',
      }),
    );
    expect(byName(await runPreflight(dev, clients), 'CDK bootstrap')?.message).toMatch(/npx cdk bootstrap/);
    readyAccount(db.uri);
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ $metadata: {}, message: 'nope' }));
    expect(byName(await runPreflight(dev, clients), 'CDK bootstrap')?.status).toBe('fail');
    readyAccount(db.uri);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '5' } });
    expect(byName(await runPreflight(dev, clients), 'CDK bootstrap')?.message).toMatch(/version 5 < 6/);
  });

  it('needs the API Gateway CloudWatch role only when WebSocket access logs are asked for', async () => {
    const withLogs = parseStackConfig({ webSocketAccessLogs: 'true' });
    expect(byName(await runPreflight(withLogs, clients), 'API Gateway CloudWatch role')?.status).toBe('fail');
    apigw.on(GetAccountCommand).resolves({ cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigw-logs' });
    expect(byName(await runPreflight(withLogs, clients), 'API Gateway CloudWatch role')?.status).toBe('pass');
  });

  it("fails when the stage's reserved concurrency does not fit the account (a new account's 10)", async () => {
    lambda.on(GetAccountSettingsCommand).resolves({
      AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 },
    });
    const result = byName(await runPreflight(dev, clients), 'Lambda concurrency');
    expect(result?.status).toBe('fail');
    expect(result?.message).toMatch(/account limit 10.*Service Quotas/);
  });

  it('reports a missing secret, a malformed one (without quoting it) and an unreachable URI', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'no' }));
    expect(byName(await runPreflight(dev, clients), 'MongoDB secret')?.message).toMatch(
      /no secret routine-sync\/dev\/mongodb-uri/,
    );
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"uri": hunter2-password' });
    const bad = byName(await runPreflight(dev, clients), 'MongoDB secret');
    expect(bad?.status).toBe('fail');
    expect(bad?.message).not.toContain('hunter2');
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: 'mongodb://127.0.0.1:1/?directConnection=true' });
    expect(byName(await runPreflight(dev, clients), 'MongoDB reachable')?.status).toBe('fail');
  }, 30_000);

  it('exits 0 when ready, 1 when something is missing, 2 on bad arguments or no credentials', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main([], clients, pingUri)).toBe(0);
    expect(await main(['-c', 'stage=Bad'], clients)).toBe(2);
    expect(error.mock.calls.flat().join(' ')).toMatch(/stage must be/);
    expect(await main(['--stage'], clients)).toBe(2);
    sts.on(GetCallerIdentityCommand).rejects(new Error('Could not load credentials'));
    expect(await main([], clients)).toBe(2);
    readyAccount(db.uri);
    lambda.on(GetAccountSettingsCommand).resolves({
      AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 },
    });
    expect(await main([], clients)).toBe(1);
    expect(log.mock.calls.flat().join('\n')).toMatch(/FAIL {2}Lambda concurrency/);
    log.mockRestore();
    error.mockRestore();
  }, 30_000);
});
