// Routes by name, for tests that call a route's handler directly. The test database is
// test/support/mongo.ts (`useTestMongo`, `startAppDb`).
import { type HttpRoute, httpRoutes } from '../../../infra/routes.ts';

export function routeNamed(name: string): HttpRoute {
  const route = httpRoutes.find((r) => r.name === name);
  if (!route) throw new Error(`No route named ${name} in infra/routes.ts`);
  return route;
}
