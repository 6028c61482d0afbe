// `npm run bench -- scale-model`: every number of docs/scaling.md, computed from the one parameter
// table (scale-model/model.ts) for 1 k, 100 k and 1 M users. It writes bench/results/scale-model.json
// and the doc itself; test/sync/scaling-doc.test.ts fails when the doc and this script disagree.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult, Metric } from './lib/result.ts';
import { model, PARAMETERS, SCALES } from './scale-model/model.ts';
import { renderScalingDoc } from './scale-model/render.ts';

export { model, PARAMETERS, SCALES };

export const SCALING_DOC = join(import.meta.dirname, '..', 'docs', 'scaling.md');

export async function run(): Promise<BenchResult> {
  const figures = SCALES.map((users) => model(users));
  await writeFile(SCALING_DOC, renderScalingDoc(PARAMETERS, figures));
  const metrics: Record<string, Metric> = {};
  for (const f of figures) {
    const k = f.users >= 1e6 ? `${f.users / 1e6}m` : `${f.users / 1e3}k`;
    metrics[`users_${k}_http_requests_per_day`] = {
      value: Math.round(f.perDay.httpRequests),
      unit: 'requests',
    };
    metrics[`users_${k}_lambda_invocations_per_day`] = {
      value: Math.round(f.perDay.lambdaInvocations),
      unit: 'invocations',
    };
    metrics[`users_${k}_peak_new_connections_per_s`] = {
      value: round(f.peak.newConnectionsPerSecond),
      unit: '/s',
    };
    metrics[`users_${k}_peak_lambda_concurrency`] = {
      value: round(f.peak.lambdaConcurrency),
      unit: 'executions',
    };
    metrics[`users_${k}_broadcasts_saved_per_day`] = {
      value: Math.round(f.broadcastsSavedPerDay),
      unit: 'invocations',
    };
    metrics[`users_${k}_monthly_cost`] = { value: Math.round(f.monthlyCost.total), unit: 'USD' };
  }
  return { name: 'scale-model', metrics };
}

export const round = (n: number) => Math.round(n * 10) / 10;
