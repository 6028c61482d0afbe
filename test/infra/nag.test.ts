// cdk-nag's AwsSolutions pack over the stack as the app builds it: every finding is either fixed or
// acknowledged with a reason (infra/cloud/nag-suppressions.ts), for today's route table and for the
// complete one with the real-time parts.
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { appRouteTable } from '../../infra/cloud/route-table.ts';
import { withRealtime } from './route-tables.ts';
import { synthStack } from './synth-stack.ts';

function summary(violations: ReturnType<ReturnType<typeof synthStack>['nagViolations']>): string[] {
  return violations.map(
    (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}

// A synth plus a full rule walk takes seconds, and the machine is shared: allow for it.
const SLOW = 90_000;

describe('cdk-nag AwsSolutions', () => {
  it(
    'reports nothing unacknowledged for the app route table',
    () => {
      expect(summary(synthStack(appRouteTable).nagViolations())).toEqual([]);
    },
    SLOW,
  );

  it(
    'reports nothing unacknowledged with the WebSocket API, its authorizer and broadcast',
    () => {
      expect(summary(synthStack(withRealtime(appRouteTable)).nagViolations())).toEqual([]);
    },
    SLOW,
  );

  it(
    'does find what is not acknowledged (the check is live)',
    () => {
      const { stack, nagViolations } = synthStack(appRouteTable);
      // A fresh statement with a wildcard action that nothing acknowledges.
      stack.functions
        .get('health')
        ?.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
      expect(summary(nagViolations()).join('\n')).toMatch(/AwsSolutions-IAM5\[Action::s3:\*\]/);
    },
    SLOW,
  );
});
