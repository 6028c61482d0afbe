// The local gateway under load, as a user runs it: a cold `npm start` (fresh DATA_DIR) until
// /api/health answers 200, then GET /api/health (a function invocation plus a database ping) from
// 50 keep-alive connections for a few seconds. The same load against a bare Node server, measured
// right after, shows how much of the tail is the shared machine's rather than the gateway's.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalApp } from '../infra/local/start-process.ts';
import { startBareServer } from './lib/bare-server.ts';
import { groupCpuMs } from './lib/group-cpu.ts';
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
    const pgid = app.child.pid ?? 0;
    const cpuBefore = groupCpuMs(pgid);
    const load = await runLoad({ url, connections: CONNECTIONS, durationMs: DURATION_MS, expectStatus: 200 });
    const cpuAfter = groupCpuMs(pgid);
    // The server's own CPU per request: what throughput would be on one idle core.
    const bare = await startBareServer();
    const floor = await runLoad({ url: bare.url, connections: CONNECTIONS, durationMs: DURATION_MS }).finally(
      () => bare.stop(),
    );
    const serverCpuMs =
      cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / load.requests : Number.NaN;
    return {
      name: 'gateway',
      metrics: {
        cold_start_to_healthy: { value: Math.round(app.readyMs), unit: 'ms', target: '≤ 10000' },
        health_requests_per_second: { value: load.requestsPerSecond, unit: 'req/s', target: '≥ 2000' },
        health_p50: { value: load.p50Ms, unit: 'ms' },
        health_p99: { value: load.p99Ms, unit: 'ms', target: '< 50' },
        health_max: { value: load.maxMs, unit: 'ms' },
        health_errors: { value: load.errors, unit: 'requests', target: '0' },
        bare_node_requests_per_second: { value: floor.requestsPerSecond, unit: 'req/s' },
        bare_node_p99: { value: floor.p99Ms, unit: 'ms' },
        server_cpu_per_request: { value: Math.round(serverCpuMs * 1000) / 1000, unit: 'ms' },
        server_capacity_per_idle_core: { value: Math.round(1000 / serverCpuMs), unit: 'req/s' },
        load_average_1m: { value: Math.round(loadavg()[0] ?? 0), unit: 'runnable processes' },
        connections: { value: CONNECTIONS, unit: 'connections' },
        cpu_cores: { value: cpus().length, unit: 'cores' },
      },
    };
  } finally {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
