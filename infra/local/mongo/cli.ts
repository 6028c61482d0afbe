// `npm run db -- [--port 27017] [--host 127.0.0.1] [--dbpath .data/db | --memory] [--quiet]
//                [--setParameter transactionLifetimeLimitSeconds=15]` (mongod's syntax)
// Starts the embedded development server, prints its URI, and serves until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startMongoServer } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    dbpath: { type: 'string', default: '.data/db' },
    memory: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    // Journal size that triggers compaction; small values exercise compaction (crash tests).
    'compact-bytes': { type: 'string' },
    setParameter: { type: 'string', multiple: true },
  },
});

/** mongod's `--setParameter name=value`; only transactionLifetimeLimitSeconds is known here. */
function lifetimeParameter(settings: string[] = []): number | undefined {
  let seconds: number | undefined;
  for (const setting of settings) {
    const [name, value] = setting.split('=');
    if (name !== 'transactionLifetimeLimitSeconds' || !/^[1-9]\d*$/.test(value ?? '')) {
      process.stderr.write(
        `--setParameter ${setting}: only transactionLifetimeLimitSeconds=<seconds ≥ 1> is supported\n`,
      );
      process.exit(2);
    }
    seconds = Number(value);
  }
  return seconds;
}

const log = (line: string) => {
  if (!values.quiet) process.stderr.write(`[mongo] ${line}\n`);
};

const server = await startMongoServer({
  port: Number(values.port),
  host: values.host,
  dbPath: values.memory ? undefined : values.dbpath,
  log,
  compactJournalBytes: values['compact-bytes'] ? Number(values['compact-bytes']) : undefined,
  transactionLifetimeLimitSeconds: lifetimeParameter(values.setParameter),
});
process.stdout.write(`${server.uri}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  });
}
