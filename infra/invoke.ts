// `npm run invoke -- <function> [payload] [--local [url]] [--http "GET /api/…"]`: see
// infra/cloud/invoke-cli.ts, or run it with --help.
import { runInvoke } from './cloud/invoke-cli.ts';

process.exitCode = await runInvoke(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
