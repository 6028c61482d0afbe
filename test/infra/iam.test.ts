// Least privilege: no wildcard actions in our roles, each grant scoped to the one thing it is for.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../infra/routes.ts';
import { withRealtime } from './route-tables.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';
import {
  actionsOf,
  appFunctions,
  render,
  resourcesOf,
  roleStatements,
  type Statement,
} from './template-queries.ts';

const table = withRealtime(routeTable);
const broadcastName = table.internalFunctions.find((f) => f.role === 'broadcast')?.name ?? '';

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack(table);
}, SYNTH_TIMEOUT_MS);

/** Every statement in the template, inline role policies included, with the role it belongs to. */
function allStatements(template: Template): Array<{ role: string; statement: Statement }> {
  const out: Array<{ role: string; statement: Statement }> = [];
  for (const res of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of res.Properties.PolicyDocument.Statement as Statement[]) {
      for (const role of res.Properties.Roles ?? []) out.push({ role: role.Ref, statement });
    }
  }
  for (const [role, res] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const policy of res.Properties.Policies ?? []) {
      for (const statement of policy.PolicyDocument.Statement as Statement[]) out.push({ role, statement });
    }
  }
  return out;
}

describe('IAM', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('uses no wildcard action anywhere except the BucketDeployment handler that aws-cdk-lib owns', () => {
    const wildcardRoles = new Set(
      allStatements(synth.template)
        .filter(({ statement }) => actionsOf(statement).some((a) => a.includes('*')))
        .map(({ role }) => role),
    );
    expect(wildcardRoles.size).toBeGreaterThan(0); // the scan does see statements
    expect([...wildcardRoles].every((role) => role.startsWith('CustomCDKBucketDeployment'))).toBe(true);
  });

  it('gives our roles no managed policies and only their own log group', () => {
    const roles = synth.template.findResources('AWS::IAM::Role');
    for (const [name, fn] of appFunctions(synth.template)) {
      expect(roles[fn.roleLogicalId]?.Properties.ManagedPolicyArns, name).toBeUndefined();
      const logs = roleStatements(synth.template, fn.roleLogicalId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logs.flatMap(actionsOf).sort(), name).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(render(logs.flatMap(resourcesOf)), name).toBe(
        render([{ 'Fn::GetAtt': [fn.properties.LoggingConfig?.LogGroup?.Ref, 'Arn'] }]),
      );
    }
  });

  it('lets every function read the MongoDB secret, HTTP routes the origin secret, and nothing else', () => {
    const httpRoutes = new Set(table.httpRoutes.map((r) => r.name));
    const originSecret = Object.keys(synth.template.findResources('AWS::SecretsManager::Secret'))[0];
    for (const [name, fn] of appFunctions(synth.template)) {
      const secrets = roleStatements(synth.template, fn.roleLogicalId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
      );
      const mongo = secrets.filter((s) => render(s.Resource).includes('mongodb-uri'));
      const others = secrets.filter((s) => !mongo.includes(s));
      expect(mongo.flatMap(actionsOf), name).toEqual(['secretsmanager:GetSecretValue']);
      expect(render(mongo.flatMap(resourcesOf)), name).toMatch(
        /:secret:routine-sync\/dev\/mongodb-uri-\?{6}"/,
      );
      const expected = httpRoutes.has(name) ? [{ Ref: originSecret }] : [];
      expect(others.flatMap(actionsOf), name).toEqual(expected.map(() => 'secretsmanager:GetSecretValue'));
      expect(others.flatMap(resourcesOf), name).toEqual(expected);
    }
  });

  it('lets exactly the mutation routes invoke broadcast, and only broadcast', () => {
    const deployed = appFunctions(synth.template);
    const broadcast = deployed.get(broadcastName);
    const mutations = new Set(table.httpRoutes.filter((r) => r.broadcasts).map((r) => r.name));
    expect(mutations.size).toBeGreaterThan(0);
    for (const [name, fn] of deployed) {
      const invokes = roleStatements(synth.template, fn.roleLogicalId).filter((s) =>
        actionsOf(s).includes('lambda:InvokeFunction'),
      );
      const env = fn.properties.Environment.Variables;
      if (mutations.has(name)) {
        expect(invokes.flatMap(resourcesOf), name).toEqual([{ 'Fn::GetAtt': [broadcast?.logicalId, 'Arn'] }]);
        expect(env.BROADCAST_FUNCTION_NAME, name).toEqual({ Ref: broadcast?.logicalId });
      } else {
        expect(invokes, name).toEqual([]);
        expect(env.BROADCAST_FUNCTION_NAME, name).toBeUndefined();
      }
    }
  });

  it('lets broadcast and the session-revoking routes manage connections, the mutation routes only post to them, on the WebSocket API stage only, and no other function', () => {
    const managers = new Set([
      broadcastName,
      ...table.httpRoutes.filter((r) => r.closesConnections).map((r) => r.name),
    ]);
    const posters = new Set(table.httpRoutes.filter((r) => r.broadcasts).map((r) => r.name));
    expect(managers.size).toBeGreaterThan(1);
    expect(posters.size).toBeGreaterThan(1);
    expect([...posters].filter((name) => managers.has(name))).toEqual([]);
    const apiId = Object.keys(
      synth.template.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { ProtocolType: 'WEBSOCKET' },
      }),
    )[0];
    for (const [name, fn] of appFunctions(synth.template)) {
      const manage = roleStatements(synth.template, fn.roleLogicalId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('execute-api:')),
      );
      if (!managers.has(name) && !posters.has(name)) {
        expect(manage, name).toEqual([]);
        expect(fn.properties.Environment.Variables.WS_MANAGEMENT_ENDPOINT, name).toBeUndefined();
        continue;
      }
      expect(manage.flatMap(actionsOf), name).toEqual(['execute-api:ManageConnections']);
      const resources = manage.flatMap(resourcesOf);
      expect(resources, name).toHaveLength(1);
      const resource = render(resources);
      expect(resource).toContain(`{"Ref":"${apiId}"}`);
      // Posting is the one method a mutation needs: not GetConnection, not DeleteConnection.
      expect(resource).toContain(managers.has(name) ? '/live/*/@connections/*' : '/live/POST/@connections/*');
      expect(JSON.stringify(fn.properties.Environment.Variables.WS_MANAGEMENT_ENDPOINT)).toContain(apiId);
    }
  });
});
