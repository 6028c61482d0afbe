// The ramp: the offered mutation rate steps up until a step breaks (an error, a p99 over 200 ms, or
// mutations not all acknowledged), and the last good step is the sustained rate. Every step is
// reported, the broken one too.
import type { Metric } from '../lib/result.ts';
import type { LoadDevice, Meter } from './device.ts';
import { drain, offerLoad } from './drive.ts';
import { createSink, type StepSummary, summarizeSink } from './step-sink.ts';

export const P99_BOUND_MS = 200;
/** Offered mutations per second, step by step. */
export const RAMP_RATES = [5, 10, 20, 35, 50, 70, 100, 140, 200, 280, 400, 560];
const WARM_UP_RATE = 10;
const WARM_UP_MS = 5_000;

export interface StepResult extends StepSummary {
  offeredPerS: number;
  achievedPerS: number;
  passed: boolean;
}

export async function runStep(
  devices: readonly LoadDevice[],
  meter: Meter,
  mutationsPerS: number,
  ms: number,
  readsPerMutation: number,
): Promise<StepResult> {
  meter.sink = createSink();
  const offeredMs = await offerLoad(devices, { mutationsPerS, readsPerMutation, ms });
  const drained = await drain(devices, 30_000);
  const summary = summarizeSink(meter.sink);
  const achievedPerS = Math.round((summary.acknowledged / offeredMs) * 10_000) / 10;
  const passed =
    drained &&
    summary.errors === 0 &&
    summary.acknowledged === meter.sink.offeredMutations &&
    summary.mutationP99 <= P99_BOUND_MS &&
    summary.requestP99 <= P99_BOUND_MS;
  return { ...summary, offeredPerS: mutationsPerS, achievedPerS, passed };
}

export interface Ramp {
  steps: StepResult[];
  sustained: StepResult | undefined;
}

export async function runRamp(
  devices: readonly LoadDevice[],
  meter: Meter,
  opts: { stepMs: number; budgetMs: number; readsPerMutation: number; log(line: string): void },
): Promise<Ramp> {
  // Untimed: the first calls of each function in the app are cold starts (module imports, clients).
  meter.sink = createSink();
  await offerLoad(devices, {
    mutationsPerS: WARM_UP_RATE,
    readsPerMutation: opts.readsPerMutation,
    ms: WARM_UP_MS,
  });
  await drain(devices, 30_000);
  const steps: StepResult[] = [];
  const started = performance.now();
  for (const rate of RAMP_RATES) {
    const step = await runStep(devices, meter, rate, opts.stepMs, opts.readsPerMutation);
    steps.push(step);
    opts.log(
      `${rate}/s offered: ${step.achievedPerS}/s acknowledged, mutation p50 ${step.mutationP50} p99 ${step.mutationP99} ms, request p99 ${step.requestP99} ms, ${step.errors} errors → ${step.passed ? 'ok' : 'broken'}`,
    );
    if (!step.passed || performance.now() - started > opts.budgetMs) break;
  }
  return { steps, sustained: steps.filter((s) => s.passed).at(-1) };
}

export function rampMetrics(ramp: Ramp): Record<string, Metric> {
  const metrics: Record<string, Metric> = {};
  for (const s of ramp.steps) {
    const at = `at_${s.offeredPerS}_per_s`;
    metrics[`${at}_acknowledged_per_s`] = { value: s.achievedPerS, unit: 'mutations/s' };
    metrics[`${at}_mutation_p50`] = { value: s.mutationP50, unit: 'ms' };
    metrics[`${at}_mutation_p99`] = { value: s.mutationP99, unit: 'ms' };
    metrics[`${at}_request_p99`] = { value: s.requestP99, unit: 'ms' };
    metrics[`${at}_errors`] = { value: s.errors, unit: 'responses' };
  }
  const sustained = ramp.sustained;
  metrics.sustained_mutations_per_s = { value: sustained?.achievedPerS ?? 0, unit: 'mutations/s' };
  metrics.sustained_mutation_p99 = {
    value: sustained?.mutationP99 ?? Number.NaN,
    unit: 'ms',
    target: `≤ ${P99_BOUND_MS}`,
  };
  metrics.sustained_request_p99 = {
    value: sustained?.requestP99 ?? Number.NaN,
    unit: 'ms',
    target: `≤ ${P99_BOUND_MS}`,
  };
  metrics.sustained_errors = { value: sustained?.errors ?? Number.NaN, unit: 'responses', target: '= 0' };
  return metrics;
}
