// Lambda functions that aws-cdk-lib adds on its own (the site upload's BucketDeployment handler, the
// Trigger that runs ensure-indexes, the bucket's auto-delete handler) would log to a log group
// Lambda creates on first use, kept forever. Each gets a log group of this stack instead, with the
// stage's retention: the function's LoggingConfig names it, so it exists before the function runs.
import type { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export function giveHelperFunctionsLogGroups(
  stack: Stack,
  own: ReadonlySet<CfnResource>,
  opts: { retention: logs.RetentionDays; removalPolicy: RemovalPolicy },
): logs.LogGroup[] {
  const created: logs.LogGroup[] = [];
  const helpers = stack.node
    .findAll()
    .filter(
      (c): c is CfnResource =>
        (c as Partial<CfnResource>).cfnResourceType === 'AWS::Lambda::Function' && !own.has(c as CfnResource),
    );
  for (const fn of helpers) {
    const scope = fn.node.scope ?? stack;
    const group = new logs.LogGroup(scope, `${fn.node.id}Logs`, {
      retention: opts.retention,
      removalPolicy: opts.removalPolicy,
    });
    fn.addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
    created.push(group);
  }
  return created;
}

export function cfnOf(construct: { node: { defaultChild?: unknown } }): CfnResource {
  return construct.node.defaultChild as CfnResource;
}
