// How many MongoDB connections the stage may hold, turned into reserved concurrency per function.
//
//   maxDbConnections ─► ÷ connections per container (pool + 1 monitor) ─► containers
//        ─► ops: 1 each, the rest shared by group ─► ÷ functions in the group ─► reservedConcurrentExecutions
//
// A container runs one invocation at a time and keeps its client warm, so the most containers a
// function can have is its reserved concurrency, and the most connections the stage can open to the
// primary is the sum over functions × (pool + monitor). docs/deploy.md has the model per Atlas tier.
import type { RouteTable } from '../routes.ts';

export const FUNCTION_GROUPS = ['sync', 'api', 'authorizers', 'realtime', 'ops'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];

/** Share of the containers left after `ops`: sync carries every device's traffic, authorizers front it. */
export const GROUP_SHARES: Readonly<Record<Exclude<FunctionGroup, 'ops'>, number>> = {
  sync: 0.35,
  api: 0.25,
  authorizers: 0.2,
  realtime: 0.2,
};

export interface ConnectionBudget {
  /** Connections one warm container holds against the primary. */
  readonly perContainer: number;
  readonly reserved: ReadonlyMap<string, number>;
  readonly groups: ReadonlyMap<string, FunctionGroup>;
  /** Σ reserved × perContainer: never above maxDbConnections. */
  readonly worstCaseConnections: number;
}

export function groupsOf(table: RouteTable): Map<string, FunctionGroup> {
  const groups = new Map<string, FunctionGroup>();
  for (const route of table.httpRoutes) {
    groups.set(
      route.name,
      route.realtime ? 'realtime' : route.entry.startsWith('functions/sync/') ? 'sync' : 'api',
    );
  }
  for (const route of table.websocketRoutes) groups.set(route.name, 'realtime');
  for (const fn of table.internalFunctions) {
    groups.set(fn.name, fn.role === 'broadcast' ? 'realtime' : 'authorizers');
  }
  for (const fn of table.opsFunctions) groups.set(fn.name, 'ops');
  return groups;
}

export function connectionBudget(
  groups: ReadonlyMap<string, FunctionGroup>,
  maxDbConnections: number,
  poolSize: number,
): ConnectionBudget {
  const perContainer = poolSize + 1;
  const containers = Math.floor(maxDbConnections / perContainer);
  const members = (group: FunctionGroup) => [...groups].filter(([, g]) => g === group).map(([name]) => name);
  const ops = members('ops');
  const needed = groups.size;
  if (containers < needed) {
    throw new Error(
      `maxDbConnections=${maxDbConnections} allows ${containers} containers of ${perContainer} connections, ` +
        `but each of the ${needed} functions needs at least one: use at least ${needed * perContainer}`,
    );
  }
  const shared = containers - ops.length;
  const reserved = new Map<string, number>(ops.map((name) => [name, 1]));
  const active = (Object.keys(GROUP_SHARES) as Array<keyof typeof GROUP_SHARES>).filter(
    (g) => members(g).length > 0,
  );
  const shareSum = active.reduce((sum, g) => sum + GROUP_SHARES[g], 0);
  for (const group of active) {
    const names = members(group);
    const each = Math.max(1, Math.floor((shared * GROUP_SHARES[group]) / shareSum / names.length));
    for (const name of names) reserved.set(name, each);
  }
  let total = [...reserved.values()].reduce((a, b) => a + b, 0);
  // The floor of at least one per function can overshoot a tight budget: take back from the largest.
  while (total > containers) {
    const [name, most] = [...reserved].reduce((a, b) => (b[1] > a[1] ? b : a));
    if (most <= 1) break;
    reserved.set(name, most - 1);
    total -= 1;
  }
  return { perContainer, reserved, groups, worstCaseConnections: total * perContainer };
}
