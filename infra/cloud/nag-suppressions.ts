// Every cdk-nag (AwsSolutions) finding this app accepts, each on the narrowest construct and with the
// reason it is acceptable. cdk-nag 3 reports through CDK's policy validation: any finding that is
// not acknowledged here, warning or error, fails `cdk synth` and `cdk deploy`.
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { RoutineSyncStack } from './routine-sync-stack.ts';

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

const RUNTIME_REASON =
  'nodejs22.x is the runtime this app targets on purpose (issue #8): the handlers and the local gateway ' +
  'are tested on Node 20/22, and 22.x stays supported until 2027-04-30; moving to nodejs24.x is a ' +
  'one-line change in FUNCTION_DEFAULTS once the suite has run on Node 24.';

export function applyNagSuppressions(stack: RoutineSyncStack): void {
  for (const fn of stack.functions.values()) {
    acknowledge(fn.fn, 'AwsSolutions-L1', RUNTIME_REASON);
    if (stack.config.tracing) {
      acknowledge(
        fn.role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray active tracing (-c tracing=true): xray:PutTraceSegments and xray:PutTelemetryRecords support ' +
          'no resource-level permissions, so aws-cdk-lib grants them on *; they only write trace data.',
      );
    }
  }
  if (stack.monitoring.failedBroadcasts) {
    acknowledge(
      stack.monitoring.failedBroadcasts,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination of the asynchronous broadcast invocations, with an ' +
        'alarm on its depth; a message that lands here is read by an operator, never consumed by a function.',
    );
  }

  for (const route of stack.httpApi.publicRoutes) {
    acknowledge(
      route,
      'AwsSolutions-APIG4',
      'Public by design (`auth: public` in infra/routes.ts): the health check, and sign-up and login, ' +
        'which are how a visitor obtains a session in the first place. They validate input and login ' +
        'is rate-limited in the handler; the stage throttle bounds the rest.',
    );
  }
  for (const route of stack.webSocketApi?.routesAfterConnect ?? []) {
    acknowledge(
      route,
      'AwsSolutions-APIG4',
      'API Gateway runs WebSocket authorizers on $connect only; $disconnect and $default arrive on a ' +
        'connection that the ticket authorizer already admitted, and their handlers read the user stored for it.',
    );
  }

  if (stack.webSocketApi && !stack.config.webSocketAccessLogs) {
    acknowledge(
      stack.webSocketApi.stage,
      'AwsSolutions-APIG1',
      "WebSocket access logs need API Gateway's account-wide CloudWatch Logs role, which a fresh account " +
        'lacks (the stage would fail to deploy) and which this stack must not take over from others in the ' +
        'account; they are on with -c webSocketAccessLogs=true once the role is set (docs/deploy.md). The ' +
        'ws-* functions log every connect, message and disconnect meanwhile.',
    );
  }
  const ws = stack.webSocketApi;
  if (ws) {
    const api = ws.api.node.defaultChild as CfnResource;
    const arn = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${stack.getLogicalId(api)}>`;
    for (const manager of stack.connectionManagers) {
      acknowledge(
        manager.role,
        `AwsSolutions-IAM5[Resource::${arn}/${ws.stage.stageName}/*/@connections/*]`,
        'Connection ids are created per client at run time, so ManageConnections must name them with a ' +
          'wildcard; the grant is limited to the one WebSocket API and stage of this stack.',
      );
    }
    for (const poster of stack.connectionPosters) {
      acknowledge(
        poster.role,
        `AwsSolutions-IAM5[Resource::${arn}/${ws.stage.stageName}/POST/@connections/*]`,
        'Connection ids are created per client at run time, so PostToConnection must name them with a ' +
          'wildcard; the grant is POST only, on the one WebSocket API and stage of this stack.',
      );
    }
  }

  acknowledge(
    stack.originVerify.secret,
    'AwsSolutions-SMG4',
    'A rotation Lambda could change the value but not the CloudFront origin header that must carry it; ' +
      'rotation is a put-secret-value plus a deploy pinned to the new version (docs/deploy.md), during ' +
      'which the functions accept the current and the previous value.',
  );

  const { bucket, distribution } = stack.web;
  acknowledge(
    bucket,
    'AwsSolutions-S1',
    'The bucket holds only the public, content-hashed build output and is read solely by CloudFront ' +
      'through origin access control; there is nothing private to audit and a second log bucket would ' +
      'cost more than the site. API traffic is logged by the API Gateway access logs and Lambda logs.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'A personal habit tracker is used wherever its owner travels; blocking countries would lock them out.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    'A WAF web ACL costs at least $5/month plus $1/rule, more than the rest of the stack for 1,000 users; ' +
      'abuse is bounded by the API stage throttle and the login rate limit. docs/deploy.md shows how to ' +
      'attach one (webAclId) when the audience grows.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR3',
    'Standard logs would only record downloads of public static files; every API request is already ' +
      'logged by the HTTP API access log (JSON, with retention) and the Lambda logs.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    'The distribution uses the default *.cloudfront.net certificate, whose TLS policy AWS fixes; ' +
      'a minimum of TLSv1.2_2021 needs a custom domain and an ACM certificate (docs/deploy.md).',
  );
  acknowledgeBucketDeployment(stack, bucket.node.defaultChild as CfnBucket);
}

/** The deployment handler is a singleton that aws-cdk-lib creates and configures itself. */
function acknowledgeBucketDeployment(stack: RoutineSyncStack, siteBucket: CfnBucket): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const why = (what: string) =>
    `${what} This is the BucketDeployment handler that aws-cdk-lib owns and configures; it runs only ` +
    'during deployments to copy web/dist into the site bucket.';
  acknowledge(handler, 'AwsSolutions-L1', why('Its runtime is chosen by aws-cdk-lib, not by this app.'));
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    why('The managed policy only lets it write its own logs.'),
  );
  const site = `<${Stack.of(siteBucket).getLogicalId(siteBucket)}.Arn>`;
  const wildcards = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    `Resource::${site}/*`,
  ];
  for (const finding of wildcards) {
    acknowledge(
      handler,
      `AwsSolutions-IAM5[${finding}]`,
      why('Grant generated by BucketDeployment, limited to the CDK asset bucket and the site bucket.'),
    );
  }
  acknowledge(
    handler,
    'AwsSolutions-IAM5[Resource::*]',
    why(
      'cloudfront:CreateInvalidation/GetInvalidation are granted on * by aws-cdk-lib for the invalidation after upload.',
    ),
  );
}
