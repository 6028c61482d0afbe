import { describe, expect, it } from 'vitest';
import { createRouteMatcher } from '../../infra/local/route-matcher.ts';
import type { HttpRoute } from '../../infra/routes.ts';

const route = (method: HttpRoute['method'], path: string, name: string): HttpRoute => ({
  method,
  path,
  name,
  entry: `${name}.ts`,
  auth: 'public',
});

// Deliberately listed least specific first: the matcher, not the table order, decides.
const match = createRouteMatcher([
  route('GET', '/api/{proxy+}', 'greedy'),
  route('GET', '/api/tasks/{taskId}', 'task'),
  route('POST', '/api/tasks/{taskId}/complete', 'complete'),
  route('GET', '/api/tasks/today', 'today'),
  route('PUT', '/api/tasks/{taskId}', 'edit'),
  route('GET', '/api/health', 'health'),
]);

describe('route matching', () => {
  it.each([
    ['GET', '/api/health', 'health', undefined],
    ['GET', '/api/tasks/today', 'today', undefined],
    ['GET', '/api/tasks/t1', 'task', { taskId: 't1' }],
    ['PUT', '/api/tasks/t1', 'edit', { taskId: 't1' }],
    ['POST', '/api/tasks/t%2F1/complete', 'complete', { taskId: 't/1' }],
    ['GET', '/api/anything/else', 'greedy', { proxy: 'anything/else' }],
    ['get', '/api/health', 'health', undefined],
  ])('%s %s → %s', (method, path, name, params) => {
    const found = match(method, path);
    expect(found?.route.name).toBe(name);
    expect(found?.pathParameters).toEqual(params);
  });

  it.each([
    ['DELETE', '/api/tasks/t1'],
    ['POST', '/api/health'],
    ['GET', '/other/tasks/t1'],
    ['POST', '/api/tasks//complete'],
  ])('%s %s matches nothing', (method, path) => {
    expect(match(method, path)).toBeUndefined();
  });

  it('gives the route key in API Gateway form', () => {
    expect(match('GET', '/api/tasks/x')?.routeKey).toBe('GET /api/tasks/{taskId}');
  });
});
