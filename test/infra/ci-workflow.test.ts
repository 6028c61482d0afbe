// The CI workflow is valid against GitHub's workflow schema (action-validator vendors SchemaStore's),
// tests and synthesizes on every push, and deploys only `main` through OIDC; the role it assumes
// trusts only that repository's prod environment.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkNag from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GithubOidcStack } from '../../infra/cloud/github-oidc.ts';
import { projectRoot, SYNTH_TIMEOUT_MS } from './synth-stack.ts';

const dir = join(projectRoot, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub workflows', () => {
  it('validate against the workflow schema', () => {
    expect(workflows.length).toBeGreaterThan(0);
    for (const file of workflows) {
      expect(validateWorkflow(readFileSync(join(dir, file), 'utf8')).errors, file).toEqual([]);
    }
  });

  it('the validator does reject a broken workflow (a typo in a job key)', () => {
    const broken = readFileSync(join(dir, 'ci.yml'), 'utf8').replace('runs-on:', 'runz-on:');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('run the tests and cdk synth on every push, and deploy main with an OIDC token and no stored keys', () => {
    const text = readFileSync(join(dir, 'ci.yml'), 'utf8');
    const ci = parse(text) as {
      on: Record<string, unknown>;
      jobs: Record<
        string,
        {
          if?: string;
          needs?: string;
          permissions?: Record<string, string>;
          steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }>;
        }
      >;
    };
    expect(Object.keys(ci.on)).toContain('push');
    const runs = ci.jobs.test?.steps.map((s) => s.run) ?? [];
    expect(runs).toEqual(expect.arrayContaining(['npm test', 'npm run synth']));
    const deploy = ci.jobs.deploy;
    expect(deploy?.if).toContain("github.ref == 'refs/heads/main'");
    expect(deploy?.needs).toBe('test');
    expect(deploy?.permissions?.['id-token']).toBe('write');
    const creds = deploy?.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(creds?.with?.['role-to-assume']).toBeDefined();
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });
});

describe('deploy role', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it("trusts only the repository's prod environment through GitHub's OIDC provider, and is cdk-nag clean", () => {
    const app = new App();
    const stack = new GithubOidcStack(app, 'Deploy', { repository: 'octo/routine-sync' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    const trust = role?.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:octo/routine-sync:environment:prod',
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect([...new cdkNag.AwsSolutionsChecks(app).validateScope(app).violations]).toEqual([]);
  });
});
