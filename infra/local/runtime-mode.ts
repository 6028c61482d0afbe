// Which runtime the local gateway runs the functions in:
//
//   in-process (default)  the handler modules imported into the gateway's own process: fast to start,
//                         edits picked up on restart, a debugger sees everything
//   containers            the stack's bundle, one process per container, the template's environment
//                         (infra/local/containers/): what deploys, and how Lambda runs it
//
// Chosen by the gateway's `runtime` option, else LOCAL_RUNTIME (`npm start -- --containers` sets it).
import { databaseName } from '../../functions/lib/mongo.ts';
import type { RouteTable } from '../routes.ts';
import type { ContainerRuntime } from './containers/container-runtime.ts';

export const LOCAL_RUNTIMES = ['in-process', 'containers'] as const;
export type LocalRuntime = (typeof LOCAL_RUNTIMES)[number];

export class RuntimeModeError extends Error {
  override readonly name = 'RuntimeModeError';
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): LocalRuntime {
  const value = env.LOCAL_RUNTIME;
  if (value === undefined || value === '') return 'in-process';
  const known = LOCAL_RUNTIMES.find((mode) => mode === value);
  if (!known)
    throw new RuntimeModeError(`LOCAL_RUNTIME must be one of ${LOCAL_RUNTIMES.join(', ')}, got "${value}"`);
  return known;
}

export interface ContainerModeOptions {
  /** Idle containers are reaped after this long; default CONTAINER_IDLE_MS, else 5 minutes. */
  idleMs?: number;
  reservedConcurrency?: Record<string, number>;
  /** Containers initialized at start-up and kept, by function (container-host.ts). */
  provisionedConcurrency?: Record<string, number>;
  log?: (line: string) => void;
}

function idleFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.CONTAINER_IDLE_MS;
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0)
    throw new RuntimeModeError(`CONTAINER_IDLE_MS must be a whole number of ms, got "${raw}"`);
  return ms;
}

/**
 * The database the functions use, read as the in-process functions read it, so that both modes see
 * the same data: the URI (given to the containers as the local secret) and the database name that
 * replaces the stage's `MONGODB_DB` (a test's own, else the local default).
 */
export interface LocalDatabase {
  uri: string | undefined;
  name?: string | undefined;
}

export function localDatabase(env: Record<string, string | undefined> = {}): LocalDatabase {
  return {
    uri: env.MONGODB_URI ?? process.env.MONGODB_URI,
    name: databaseName({ MONGODB_DB: env.MONGODB_DB ?? process.env.MONGODB_DB }),
  };
}

/** Loaded on demand: the container runtime synthesizes the stack, which in-process mode never needs. */
export async function startContainerMode(
  projectRoot: string,
  table: RouteTable,
  database: LocalDatabase,
  opts: ContainerModeOptions = {},
): Promise<ContainerRuntime> {
  const mongoUri = database.uri;
  if (!mongoUri)
    throw new RuntimeModeError(
      'The container runtime needs MONGODB_URI (the local database) to give the functions',
    );
  const { prepareContainerRuntime } = await import('./containers/container-runtime.ts');
  const idleMs = opts.idleMs ?? idleFromEnv(process.env);
  return await prepareContainerRuntime({
    projectRoot,
    table,
    mongoUri,
    ...(database.name ? { mongoDb: database.name } : {}),
    ...(idleMs !== undefined ? { idleMs } : {}),
    ...(opts.reservedConcurrency ? { reservedConcurrency: opts.reservedConcurrency } : {}),
    ...(opts.provisionedConcurrency ? { provisionedConcurrency: opts.provisionedConcurrency } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
}
