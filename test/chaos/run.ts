// `npm run chaos [-- --seed N] [--runs K] [--devices D] [--mutations M] [--clock-offset-days X]`
// Runs K seeded chaos runs (seeds N, N+1, …; N random by default) and prints each verdict; a failing
// run prints its seed and the command that replays it, and the exit code is 1.
// `--long`: one run of 10,000 mutations over 16 devices, clocks days and years off, long partitions
// of single devices while the others write, besides the usual faults; writes bench/results/chaos.json.
// `--containers`: the functions run on the container runtime, and `--container-kills K` (20 in a long
// run) containers are SIGKILLed, mid-invocation when one is running, frozen otherwise.
import { parseArgs } from 'node:util';
import { type BenchResult, writeResult } from '../../bench/lib/result.ts';
import { type ChaosOptions, type ChaosReport, DEFAULT_WEIGHTS, runChaos } from './lib/chaos-run.ts';
import type { Rng } from './lib/rng.ts';

/** The standing report of a long run: what was injected, and what the invariants found. */
function chaosResult(report: ChaosReport): BenchResult {
  const count = (prefix: string) => report.violations.filter((v) => v.startsWith(prefix)).length;
  const metrics: BenchResult['metrics'] = {
    mutations: { value: report.mutations, unit: 'mutations', target: '≥ 10000' },
    devices: { value: report.clockSkewsMs.length, unit: 'devices', target: '≥ 16' },
    max_clock_offset_days: {
      value: Math.round(Math.max(...report.clockSkewsMs.map(Math.abs)) / 86_400_000),
      unit: 'days',
    },
    lost: { value: count('lost'), unit: 'violations', target: '= 0' },
    doubled: { value: count('twice'), unit: 'violations', target: '= 0' },
    divergent: { value: count('converged') + count('reference'), unit: 'violations', target: '= 0' },
    other_violations: { value: count('rejected'), unit: 'violations', target: '= 0' },
    duration: { value: Math.round(report.durationMs / 1000), unit: 's' },
  };
  for (const [kind, n] of Object.entries(report.faults))
    metrics[`fault_${kind}`] = { value: n, unit: 'injected' };
  for (const [kind, n] of Object.entries(report.pokeFaults))
    metrics[`poke_fault_${kind}`] = { value: n, unit: 'pokes' };
  for (const [kind, n] of Object.entries(report.containers ?? {}))
    metrics[`container_${kind}`] = { value: n, unit: 'containers' };
  metrics.pokes_with_records_delivered = { value: report.pokes.delivered, unit: 'pokes' };
  metrics.pokes_applied = { value: report.pokes.applied, unit: 'pokes', target: '> 0' };
  metrics.push_answers_applied = { value: report.pokes.answersApplied, unit: 'answers' };
  metrics.pulls = { value: report.pokes.pulls, unit: 'pulls' };
  metrics.poke_order_violations = { value: count('order'), unit: 'violations', target: '= 0' };
  metrics.pokes_unused = { value: count('pokes'), unit: 'violations', target: '= 0' };
  return { name: 'chaos', metrics };
}

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string', default: '3' },
    devices: { type: 'string', default: '4' },
    mutations: { type: 'string', default: '150' },
    'db-kills': { type: 'string', default: '2' },
    'gateway-restarts': { type: 'string', default: '2' },
    broken: { type: 'boolean', default: false },
    long: { type: 'boolean', default: false },
    'clock-offset-days': { type: 'string' },
    containers: { type: 'boolean', default: false },
    'container-kills': { type: 'string' },
  },
});

const DAY_MS = 86_400_000;
/** Device i's clock in a long run: minutes, days or years off, either way. */
function longSkew(i: number, rng: Rng): number {
  const sign = rng.chance(0.5) ? 1 : -1;
  const spans = [5 * 60_000, 3 * DAY_MS, 400 * DAY_MS, 3 * 365 * DAY_MS];
  return sign * (spans[i % spans.length] ?? 0) * (0.5 + rng.int(500) / 1000);
}

const long = values.long
  ? {
      devices: 16,
      mutations: 10_000,
      databaseKills: 10,
      gatewayRestarts: 10,
      partitions: 6,
      partitionMs: 120_000,
      containerKills: 20,
    }
  : undefined;
const containerOptions = values.containers
  ? { containers: true, containerKills: Number(values['container-kills'] ?? long?.containerKills ?? 3) }
  : {};

const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const runs = long ? 1 : Number(values.runs);
let failed = 0;
for (let i = 0; i < runs; i += 1) {
  const seed = firstSeed + i;
  const options: ChaosOptions = {
    seed,
    devices: long?.devices ?? Number(values.devices),
    mutations: long?.mutations ?? Number(values.mutations),
    databaseKills: long?.databaseKills ?? Number(values['db-kills']),
    gatewayRestarts: long?.gatewayRestarts ?? Number(values['gateway-restarts']),
    ...(long ? { clockSkewMs: longSkew, partitions: long.partitions, partitionMs: long.partitionMs } : {}),
    healMs: long ? 300_000 : undefined,
    weights: DEFAULT_WEIGHTS,
    brokenPush: values.broken,
    ...containerOptions,
    ...(values['clock-offset-days']
      ? { clockOffsetMs: Number(values['clock-offset-days']) * 86_400_000 }
      : {}),
    log: (line) => console.log(`  [seed ${seed}] ${line}`),
  };
  console.log(`chaos run ${i + 1}/${runs}: seed ${seed}`);
  let ok = false;
  try {
    const report = await runChaos(options);
    const faults = Object.entries(report.faults)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const verdict = report.violations.length ? `FAILED (${report.violations.length} violations)` : 'ok';
    console.log(`  ${verdict}: ${report.mutations} mutations, requests: ${faults}, ${report.durationMs} ms`);
    for (const v of report.violations) console.log(`    ✗ ${v}`);
    ok = report.violations.length === 0;
    if (long) console.log(`  → ${await writeResult(chaosResult(report))}`);
  } catch (err) {
    console.log(`  FAILED (the run itself broke): ${err instanceof Error ? err.stack : String(err)}`);
  }
  if (!ok) {
    failed += 1;
    const flags = `--devices ${options.devices} --mutations ${options.mutations} --db-kills ${options.databaseKills} --gateway-restarts ${options.gatewayRestarts}${options.brokenPush ? ' --broken' : ''}${values['clock-offset-days'] ? ` --clock-offset-days ${values['clock-offset-days']}` : ''}${values.containers ? ` --containers --container-kills ${options.containerKills}` : ''}`;
    console.log(`  replay: npm run chaos -- --seed ${seed} --runs 1 ${flags}`);
  }
}
console.log(
  failed ? `${failed} of ${runs} chaos runs FAILED` : `all ${runs} chaos runs kept every invariant`,
);
process.exitCode = failed ? 1 : 0;
