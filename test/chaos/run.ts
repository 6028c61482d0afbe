// `npm run chaos [-- --seed N] [--runs K] [--devices D] [--mutations M] [--clock-offset-days X]`
// Runs K seeded chaos runs (seeds N, N+1, …; N random by default) and prints each verdict; a failing
// run prints its seed and the command that replays it, and the exit code is 1.
import { parseArgs } from 'node:util';
import { type ChaosOptions, DEFAULT_WEIGHTS, runChaos } from './lib/chaos-run.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string', default: '3' },
    devices: { type: 'string', default: '4' },
    mutations: { type: 'string', default: '150' },
    'db-kills': { type: 'string', default: '2' },
    'gateway-restarts': { type: 'string', default: '2' },
    broken: { type: 'boolean', default: false },
    'clock-offset-days': { type: 'string' },
  },
});

const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const runs = Number(values.runs);
let failed = 0;
for (let i = 0; i < runs; i += 1) {
  const seed = firstSeed + i;
  const options: ChaosOptions = {
    seed,
    devices: Number(values.devices),
    mutations: Number(values.mutations),
    databaseKills: Number(values['db-kills']),
    gatewayRestarts: Number(values['gateway-restarts']),
    weights: DEFAULT_WEIGHTS,
    brokenPush: values.broken,
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
  } catch (err) {
    console.log(`  FAILED (the run itself broke): ${err instanceof Error ? err.stack : String(err)}`);
  }
  if (!ok) {
    failed += 1;
    const flags = `--devices ${options.devices} --mutations ${options.mutations} --db-kills ${options.databaseKills} --gateway-restarts ${options.gatewayRestarts}${options.brokenPush ? ' --broken' : ''}${values['clock-offset-days'] ? ` --clock-offset-days ${values['clock-offset-days']}` : ''}`;
    console.log(`  replay: npm run chaos -- --seed ${seed} --runs 1 ${flags}`);
  }
}
console.log(
  failed ? `${failed} of ${runs} chaos runs FAILED` : `all ${runs} chaos runs kept every invariant`,
);
process.exitCode = failed ? 1 : 0;
