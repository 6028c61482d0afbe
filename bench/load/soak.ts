// `--soak`: a steady load below the sustained rate for a bounded time; the app's memory (after a full
// GC) is read after a warm-up and at the end, and once a minute in between (printed). The database's
// memory is reported too, without a target: it holds every record written, so it grows with the data.
import type { Metric } from '../lib/result.ts';
import type { LoadDevice, Meter } from './device.ts';
import { offerLoad } from './drive.ts';
import type { LoadServers } from './servers.ts';
import { createSink, summarizeSink } from './step-sink.ts';

const MINUTE_MS = 60_000;
const MB = 2 ** 20;

export interface SoakPlan {
  mutationsPerS: number;
  readsPerMutation: number;
  warmUpMs: number;
  ms: number;
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const growth = (start: number, end: number) => Math.round(((end - start) / start) * 1000) / 10;

export async function runSoak(
  devices: readonly LoadDevice[],
  meter: Meter,
  servers: LoadServers,
  plan: SoakPlan,
  log: (line: string) => void,
): Promise<Record<string, Metric>> {
  const offer = (ms: number) => offerLoad(devices, { ...plan, ms });
  meter.sink = createSink();
  await offer(plan.warmUpMs);
  const start = await servers.memory();
  log(
    `soak at ${plan.mutationsPerS}/s: after warm-up app rss ${mb(start.app.rss)} MB heap ${mb(start.app.heapUsed)} MB`,
  );
  meter.sink = createSink();
  const started = performance.now();
  let end = start;
  while (performance.now() - started < plan.ms) {
    await offer(Math.min(MINUTE_MS, plan.ms - (performance.now() - started)));
    end = await servers.memory();
    const minutes = Math.round((performance.now() - started) / MINUTE_MS);
    log(
      `soak ${minutes} min: app rss ${mb(end.app.rss)} MB heap ${mb(end.app.heapUsed)} MB, db rss ${mb(end.db.rss)} MB`,
    );
  }
  const s = summarizeSink(meter.sink);
  return {
    soak_mutations_per_s: { value: plan.mutationsPerS, unit: 'mutations/s' },
    soak_minutes: {
      value: Math.round((performance.now() - started) / 6_000) / 10,
      unit: 'min',
      target: '≥ 20',
    },
    soak_mutations: { value: s.acknowledged, unit: 'mutations' },
    soak_errors: { value: s.errors, unit: 'responses', target: '= 0' },
    soak_mutation_p99: { value: s.mutationP99, unit: 'ms' },
    soak_request_p99: { value: s.requestP99, unit: 'ms' },
    app_rss_start: { value: mb(start.app.rss), unit: 'MB' },
    app_rss_end: { value: mb(end.app.rss), unit: 'MB' },
    app_rss_growth: { value: growth(start.app.rss, end.app.rss), unit: '%', target: '≤ 10' },
    app_heap_start: { value: mb(start.app.heapUsed), unit: 'MB' },
    app_heap_end: { value: mb(end.app.heapUsed), unit: 'MB' },
    app_heap_growth: { value: growth(start.app.heapUsed, end.app.heapUsed), unit: '%', target: '≤ 10' },
    db_rss_start: { value: mb(start.db.rss), unit: 'MB' },
    db_rss_end: { value: mb(end.db.rss), unit: 'MB' },
  };
}
