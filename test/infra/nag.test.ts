// cdk-nag's AwsSolutions pack over the stack as the app builds it: every finding is either fixed or
// acknowledged with a reason (infra/cloud/nag-suppressions.ts), for today's route table and for the
// complete one with the real-time parts.
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionsOf, routeTable } from '../../infra/routes.ts';
import { withRealtime } from './route-tables.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';

function summary(synth: Synthesized): string[] {
  return synth
    .nagViolations()
    .map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
}

const complete = withRealtime(routeTable);
let app: Synthesized;
let realtime: Synthesized;
beforeAll(() => {
  app = synthStack(routeTable);
  // Once the shared table has every real-time part, the two are the same stack: synthesize once.
  realtime = functionsOf(complete).length === functionsOf(routeTable).length ? app : synthStack(complete);
}, SYNTH_TIMEOUT_MS);

describe('cdk-nag AwsSolutions', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('reports nothing unacknowledged for the app route table', () => {
    expect(summary(app)).toEqual([]);
  });

  it('reports nothing unacknowledged with the WebSocket API, its authorizer and broadcast', () => {
    expect(realtime.webSocketApi).toBeDefined();
    expect(summary(realtime)).toEqual([]);
  });

  it('does find what is not acknowledged (the check is live)', () => {
    // A fresh statement with a wildcard action that nothing acknowledges (this runs last: it
    // changes the app stack).
    app.stack.functions
      .get('health')
      ?.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(summary(app).join('\n')).toMatch(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });
});
