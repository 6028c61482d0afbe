// Command line of `npm run invoke`: parsed into a plain value, every mistake a UsageError with a
// message that says what to type instead.
import { readFileSync } from 'node:fs';
import { HTTP_METHODS, type HttpMethod } from '../routes.ts';

export const DEFAULT_LOCAL_URL = 'http://127.0.0.1:3000';
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

export const INVOKE_USAGE = `Usage: npm run invoke -- <function> [payload] [options]
       npm run invoke -- --http "<METHOD> <path>[?query]" [body] [options]

Invokes one function by its route-table name (infra/routes.ts), like the Lambda Invoke API does.
payload is JSON, or @file.json; without one, an HTTP route without path parameters gets the event
of a plain request to its route, and any other function gets {}.

Options:
  --local [url]          the local gateway (npm start) instead of AWS; default ${DEFAULT_LOCAL_URL}
  --http "GET /api/x?y"  send an API Gateway HTTP API (payload 2.0) event for this request;
                         payload becomes its JSON body; the function may then be left out
  --user <userId>        with --http: the signed-in user, as the authorizer would pass it
  --header "name: value" with --http: a request header (repeatable)
  --async                InvocationType Event: queue it and return at once
  --logs                 print the tail of the function's log (AWS only)
  --outputs <file>       outputs of npm run deploy; default ${DEFAULT_OUTPUTS_FILE}
  --stack <name>         stack in the outputs file, when it holds several
  --region <region>      default: the stack's Region output, then AWS_REGION
  -h, --help             this text

Exit codes: 0 done; 1 the function failed or answered HTTP 4xx/5xx; 2 bad command line or setup.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface HttpShortForm {
  method: HttpMethod;
  /** Path and query as typed, e.g. `/api/home?date=2026-01-01`. */
  url: string;
}

export interface InvokeArgs {
  functionName: string | undefined;
  payload: unknown;
  hasPayload: boolean;
  local: string | undefined;
  http: HttpShortForm | undefined;
  user: string | undefined;
  headers: Record<string, string>;
  async: boolean;
  logs: boolean;
  outputsFile: string;
  stack: string | undefined;
  region: string | undefined;
  help: boolean;
}

export function parseHttpShortForm(text: string): HttpShortForm {
  const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(text);
  const method = match?.[1]?.toUpperCase();
  const url = match?.[2];
  if (!method || !url)
    throw new UsageError(`--http wants "<METHOD> <path>", e.g. "GET /api/health"; got "${text}"`);
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--http: unknown method ${method} (one of ${HTTP_METHODS.join(', ')})`);
  }
  if (!url.startsWith('/')) throw new UsageError(`--http: the path must start with "/", got "${url}"`);
  return { method: method as HttpMethod, url };
}

function parsePayload(text: string): unknown {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read payload file ${text.slice(1)}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(source);
  } catch (err) {
    throw new UsageError(`The payload is not valid JSON (${(err as Error).message}): ${source.slice(0, 80)}`);
  }
}

function parseHeader(text: string): [string, string] {
  const at = text.indexOf(':');
  if (at <= 0) throw new UsageError(`--header wants "name: value", got "${text}"`);
  return [text.slice(0, at).trim().toLowerCase(), text.slice(at + 1).trim()];
}

const FLAGS_WITH_VALUE = new Set(['--http', '--user', '--header', '--outputs', '--stack', '--region']);

export function parseInvokeArgs(argv: readonly string[]): InvokeArgs {
  const args: InvokeArgs = {
    functionName: undefined,
    payload: undefined,
    hasPayload: false,
    local: undefined,
    http: undefined,
    user: undefined,
    headers: {},
    async: false,
    logs: false,
    outputsFile: DEFAULT_OUTPUTS_FILE,
    stack: undefined,
    region: undefined,
    help: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (FLAGS_WITH_VALUE.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      applyValueFlag(args, arg, value);
    } else if (arg === '--local') {
      // The URL is optional: take the next word only when it looks like one.
      const next = argv[i + 1];
      const hasUrl = next !== undefined && /^https?:\/\//.test(next);
      args.local = hasUrl ? next : DEFAULT_LOCAL_URL;
      if (hasUrl) i++;
    } else if (arg === '--async') args.async = true;
    else if (arg === '--logs') args.logs = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}`);
    else positional.push(arg);
  }
  return withPositionals(args, positional);
}

function applyValueFlag(args: InvokeArgs, flag: string, value: string): void {
  if (flag === '--http') args.http = parseHttpShortForm(value);
  else if (flag === '--user') args.user = value;
  else if (flag === '--header') {
    const [name, headerValue] = parseHeader(value);
    args.headers[name] = headerValue;
  } else if (flag === '--outputs') args.outputsFile = value;
  else if (flag === '--stack') args.stack = value;
  else if (flag === '--region') args.region = value;
}

/** `<function> [payload]`, or just `[payload]` when --http names the route. */
function withPositionals(args: InvokeArgs, positional: string[]): InvokeArgs {
  if (args.help) return args;
  const looksLikePayload = (s: string | undefined) =>
    s !== undefined && /^[[{@"\d-]|^(true|false|null)$/.test(s);
  const [first, second, ...rest] = positional;
  if (rest.length) throw new UsageError(`Too many arguments: ${rest.join(' ')} (quote the JSON payload)`);
  if (args.http && first === undefined) return args;
  if (args.http && looksLikePayload(first) && second === undefined) {
    return { ...args, payload: parsePayload(first ?? ''), hasPayload: true };
  }
  if (!first) throw new UsageError('Name the function to invoke (see infra/routes.ts), or give --http');
  const out = { ...args, functionName: first };
  return second === undefined ? out : { ...out, payload: parsePayload(second), hasPayload: true };
}
