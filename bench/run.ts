// `npm run bench -- <name>` runs bench/<name>.ts; with no name, every benchmark in bench/.
// Each prints its table and writes bench/results/<name>.json; a run of all of them ends with
// bench/results/REPORT.md (bench/report.ts).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchResult, formatTable, writeResult } from './lib/result.ts';
import { writeReport } from './report.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));

function allBenchmarks(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'report.ts')
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

async function runOne(name: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(name) || !allBenchmarks().includes(name)) {
    throw new Error(`No benchmark "${name}". Available: ${allBenchmarks().join(', ')}`);
  }
  const mod = (await import(pathToFileURL(`${benchDir}/${name}.ts`).href)) as { run(): Promise<BenchResult> };
  const result = await mod.run();
  console.log(`\n${formatTable(result)}`);
  console.log(`→ ${await writeResult(result)}`);
}

// Flags (`--soak`) are the benchmarks' own: each reads process.argv itself.
const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const runStartedAt = new Date();
// Benchmarks share this process, and some set variables (MONGODB_URI of a database they stop):
// each one starts from the dispatcher's own environment, as it would when run alone.
const baseEnv = { ...process.env };
for (const name of names.length ? names : allBenchmarks()) {
  for (const key of Object.keys(process.env)) if (!(key in baseEnv)) delete process.env[key];
  Object.assign(process.env, baseEnv);
  try {
    await runOne(name);
  } catch (err) {
    console.error(`[bench] ${name} failed:`, err);
    process.exitCode = 1;
  }
}
if (names.length === 0) console.log(`→ ${await writeReport({ runStartedAt })}`);
// Exit even if a benchmark leaked a handle (a child's pipe, a socket): `npm run bench` must finish.
process.exit();
