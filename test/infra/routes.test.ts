// The one route table: what each function may do is stated per function, and the lists agree.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/gateway.ts';
import { allFunctions, functionsOf, httpRoutes, routeTable } from '../../infra/routes.ts';
import { TRANSACTION_LIFETIME_LIMIT_SECONDS } from '../../infra/transaction-lifetime.ts';

describe('route table', () => {
  it('lists every function once, the operations functions included, each with an existing entry', () => {
    const names = allFunctions().map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('ensure-indexes');
    for (const f of allFunctions()) expect(existsSync(`${REPO_ROOT}/${f.entry}`), f.entry).toBe(true);
  });

  it('refuses a table that names a function twice, across kinds', () => {
    const twice = { ...routeTable, opsFunctions: [{ name: 'health', entry: 'functions/health.ts' }] };
    expect(() => functionsOf(twice)).toThrow(/"health" appears twice/);
  });

  it('lets only state-changing session routes broadcast, never the account ones', () => {
    const broadcasting = httpRoutes.filter((r) => r.broadcasts);
    expect(broadcasting.map((r) => r.name)).toEqual(expect.arrayContaining(['sync-push', 'tasks-complete']));
    for (const r of broadcasting) {
      expect(r.method, r.name).not.toBe('GET');
      expect(r.auth, r.name).toBe('session');
      expect(r.name.startsWith('auth-') || r.name === 'sync-ws-ticket', r.name).toBe(false);
    }
  });

  it('bounds abandoned transactions by the request-serving functions, not the index build', () => {
    const serving = allFunctions().filter((f) => f.kind !== 'ops');
    expect(TRANSACTION_LIFETIME_LIMIT_SECONDS).toBe(Math.max(...serving.map((f) => f.timeoutSeconds)) + 5);
    expect(TRANSACTION_LIFETIME_LIMIT_SECONDS).toBeLessThan(60);
  });
});
