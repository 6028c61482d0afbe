// `npm run invoke -- <function> [payload] [--local [url]] [--http "GET /api/…"]`: see
// infra/invoke/cli.ts, or run it with --help.
import { runInvoke } from './cli.ts';

process.exitCode = await runInvoke(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
