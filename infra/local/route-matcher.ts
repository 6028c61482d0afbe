// Matches a request against the route table the way an HTTP API does: the method must match
// exactly, a literal segment beats a `{param}` which beats a greedy `{proxy+}`, and nothing matched
// means the gateway's own 404 (never a near miss on another method).
import type { HttpRoute } from '../routes.ts';

export interface RouteMatch {
  route: HttpRoute;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
}

interface CompiledRoute {
  route: HttpRoute;
  pattern: RegExp;
  names: string[];
  rank: number[];
}

const SEGMENT_RANK = { literal: 0, param: 1, greedy: 2 } as const;

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const rank: number[] = [];
  const parts = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        names.push(greedy[1]);
        rank.push(SEGMENT_RANK.greedy);
        return '/(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        names.push(param[1]);
        rank.push(SEGMENT_RANK.param);
        return '/([^/]+)';
      }
      rank.push(SEGMENT_RANK.literal);
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    });
  return { route, pattern: new RegExp(`^${parts.join('') || '/'}$`), names, rank };
}

/** Most specific first: compare segment by segment, then prefer the longer literal path. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return b.rank.length - a.rank.length;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function createRouteMatcher(
  routes: readonly HttpRoute[],
): (method: string, path: string) => RouteMatch | undefined {
  const compiled = routes.map(compile).sort(bySpecificity);
  return (method, path) => {
    const upper = method.toUpperCase();
    for (const candidate of compiled) {
      if (candidate.route.method !== upper) continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      const params = Object.fromEntries(candidate.names.map((name, i) => [name, decode(found[i + 1] ?? '')]));
      return {
        route: candidate.route,
        routeKey: `${candidate.route.method} ${candidate.route.path}`,
        pathParameters: candidate.names.length ? params : undefined,
      };
    }
    return undefined;
  };
}
