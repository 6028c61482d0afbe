// Where an invocation goes: the local gateway (function names are route-table names there), or the
// deployed stack, whose physical names come from the `FunctionNames` output that `npm run deploy`
// writes to cdk-outputs.json.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { REPO_ROOT } from '../local/gateway.ts';
import { LOCAL_CREDENTIALS_FILE, readLocalCredentials } from '../local/local-credentials.ts';
import { UsageError } from './args.ts';

export interface InvokeTarget {
  /** What `InvokeCommand.FunctionName` gets. */
  physicalName: string;
  client: {
    region: string;
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  description: string;
  /** The deployed stack's origin secret (OriginVerifySecretArn output): HTTP events need its header. */
  originSecretArn?: string;
}

const stackOutputsSchema = v.object({
  FunctionNames: v.pipe(v.string(), v.parseJson(), v.record(v.string(), v.string())),
  Region: v.optional(v.string()),
  OriginVerifySecretArn: v.optional(v.string()),
});

const outputsFileSchema = v.record(v.string(), v.record(v.string(), v.unknown()));

/** The gateway accepts only requests signed with the credentials `npm start` keeps in DATA_DIR. */
export function localTarget(name: string, url: string, env: NodeJS.ProcessEnv = process.env): InvokeTarget {
  const dataDir = resolve(env.DATA_DIR || join(REPO_ROOT, '.data'));
  const credentials = readLocalCredentials(dataDir);
  if (!credentials) {
    throw new UsageError(
      `No local credentials in ${join(dataDir, LOCAL_CREDENTIALS_FILE)}: start the app with \`npm start\` (same DATA_DIR) first`,
    );
  }
  return {
    physicalName: name,
    client: { region: 'us-east-1', endpoint: url, credentials },
    description: `${name} on the local gateway ${url}`,
  };
}

function readOutputs(file: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      `No ${file}: \`npm run deploy\` writes it (or pass --outputs <file>); use --local for the local gateway`,
    );
  }
  const parsed = v.safeParse(outputsFileSchema, safeJson(text, file));
  if (!parsed.success) throw new UsageError(`${file} is not a CDK outputs file`);
  return parsed.output;
}

function safeJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`);
  }
}

function pickStack(outputs: Record<string, Record<string, unknown>>, file: string, stack?: string) {
  const withNames = Object.keys(outputs).filter((name) => 'FunctionNames' in (outputs[name] ?? {}));
  const chosen = stack ?? (withNames.length === 1 ? withNames[0] : undefined);
  if (!chosen) {
    throw new UsageError(
      withNames.length
        ? `${file} holds several stacks (${withNames.join(', ')}): pick one with --stack`
        : `${file} has no stack with a FunctionNames output: was it written by \`npm run deploy\`?`,
    );
  }
  const parsed = v.safeParse(stackOutputsSchema, outputs[chosen]);
  if (!parsed.success) throw new UsageError(`${file} has no usable FunctionNames output for stack ${chosen}`);
  return { stack: chosen, ...parsed.output };
}

export function cloudTarget(
  name: string,
  opts: { outputsFile: string; stack?: string; region?: string; env?: NodeJS.ProcessEnv },
): InvokeTarget {
  const env = opts.env ?? process.env;
  const stack = pickStack(readOutputs(opts.outputsFile), opts.outputsFile, opts.stack);
  const physicalName = stack.FunctionNames[name];
  if (!physicalName) {
    throw new UsageError(
      `Stack ${stack.stack} has no function ${name}; deployed: ${Object.keys(stack.FunctionNames).sort().join(', ')}`,
    );
  }
  const region = opts.region ?? stack.Region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('No region: pass --region or set AWS_REGION');
  return {
    physicalName,
    client: { region },
    description: `${name} (${physicalName}) in ${region}`,
    ...(stack.OriginVerifySecretArn ? { originSecretArn: stack.OriginVerifySecretArn } : {}),
  };
}
