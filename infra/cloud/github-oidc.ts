// The role GitHub Actions assumes to deploy (`.github/workflows/ci.yml`), through GitHub's OIDC
// provider: no long-lived keys. Only workflow runs of `main` in one repository may assume it, and it
// may only assume the CDK bootstrap roles (which do the deploying, as `cdk deploy` expects) and read
// what `npm run preflight` reads. Deployed once, on its own: `-c githubRepo=owner/name`.
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface GithubOidcStackProps extends StackProps {
  /** `owner/name` of the repository whose `main` deploys. */
  readonly repository: string;
  /** An existing provider for token.actions.githubusercontent.com (one per account), else one is created. */
  readonly providerArn?: string | undefined;
}

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';

export class GithubOidcStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GithubOidcStackProps) {
    super(scope, id, props);
    const provider = props.providerArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.providerArn)
      : // The native CloudFormation resource: no custom-resource Lambda of CDK's own.
        new iam.OidcProviderNative(this, 'Provider', {
          url: GITHUB_OIDC_URL,
          clientIds: ['sts.amazonaws.com'],
        });
    this.role = new iam.Role(this, 'DeployRole', {
      description: `routine-sync deploys from ${props.repository} main`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.OpenIdConnectPrincipal(provider, {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${props.repository}:environment:prod`,
        },
      }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [
          `arn:${this.partition}:iam::${this.account}:role/cdk-hnb659fds-*-role-${this.account}-${this.region}`,
        ],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'cloudformation:DescribeStacks',
          'ssm:GetParameter',
          'apigateway:GET',
          'lambda:GetAccountSettings',
        ],
        resources: ['*'],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          `arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:routine-sync/prod/*`,
        ],
      }),
    );
    // cdk-nag: each wildcard below is acknowledged with its reason.
    Validations.of(this.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-*-role-<AWS::AccountId>-<AWS::Region>]`,
        reason:
          'The CDK bootstrap roles (deploy, file and image publishing, lookup) of this account and region: cdk deploy assumes them by these names.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Read-only preflight calls (DescribeStacks, GetParameter, apigateway GET of the account settings, GetAccountSettings) whose targets are account-level or named by the bootstrap.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:routine-sync/prod/*]',
        reason:
          'Preflight reads the prod MongoDB secret to check the URI answers; the suffix AWS appends to secret ARNs is random.',
      },
    );
    new CfnOutput(this, 'DeployRoleArn', { value: this.role.roleArn, description: 'AWS_DEPLOY_ROLE_ARN' });
  }
}
