// The local gateway under load, as a user runs it: a cold `npm start` (fresh DATA_DIR) until
// /api/health answers 200, then GET /api/health (a function invocation plus a database ping) from
// 50 keep-alive connections for a few seconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalApp } from '../infra/local/start-process.ts';
import { runLoad } from './lib/load.ts';
import type { BenchResult } from './lib/result.ts';

const CONNECTIONS = 50;
const WARMUP_MS = 1_000;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);

export async function run(): Promise<BenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
  const app = await spawnLocalApp({ dataDir, env: { WEB_DIST_DIR: join(dataDir, 'web') } });
  try {
    const url = `${app.url}/api/health`;
    await runLoad({ url, connections: CONNECTIONS, durationMs: WARMUP_MS });
    const load = await runLoad({ url, connections: CONNECTIONS, durationMs: DURATION_MS, expectStatus: 200 });
    return {
      name: 'gateway',
      metrics: {
        cold_start_to_healthy: { value: Math.round(app.readyMs), unit: 'ms', target: '≤ 10000' },
        health_requests_per_second: { value: load.requestsPerSecond, unit: 'req/s', target: '≥ 2000' },
        health_p50: { value: load.p50Ms, unit: 'ms' },
        health_p99: { value: load.p99Ms, unit: 'ms', target: '< 50' },
        health_max: { value: load.maxMs, unit: 'ms' },
        health_errors: { value: load.errors, unit: 'requests', target: '0' },
        connections: { value: CONNECTIONS, unit: 'connections' },
        cpu_cores: { value: cpus().length, unit: 'cores' },
      },
    };
  } finally {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
