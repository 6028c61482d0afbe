// The credentials the local AWS APIs accept. `npm start` keeps one pair per data directory (so an
// `aws` CLI profile or a script keeps working across restarts), prints it, and hands it to the
// functions and `npm run invoke -- --local`; a gateway started without one makes a fresh pair.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import type { LocalCredentials } from './sigv4.ts';

export const LOCAL_CREDENTIALS_FILE = 'local-credentials.json';

const credentialsSchema = v.object({
  accessKeyId: v.pipe(v.string(), v.regex(/^[A-Z0-9]{16,128}$/)),
  secretAccessKey: v.pipe(v.string(), v.minLength(32)),
});

export function newLocalCredentials(): LocalCredentials {
  const key = randomBytes(10).toString('hex').toUpperCase();
  return { accessKeyId: `LOCAL${key}`, secretAccessKey: randomBytes(30).toString('base64url') };
}

/** Reads `<dataDir>/local-credentials.json`; undefined when it is missing or not a credentials file. */
export function readLocalCredentials(dataDir: string): LocalCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, LOCAL_CREDENTIALS_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const result = v.safeParse(credentialsSchema, parsed);
  return result.success ? result.output : undefined;
}

/** The data directory's pair, made (readable by its owner only) when there is none yet. */
export async function localCredentialsFor(dataDir: string): Promise<LocalCredentials> {
  const existing = readLocalCredentials(dataDir);
  if (existing) return existing;
  const fresh = newLocalCredentials();
  await writeFile(join(dataDir, LOCAL_CREDENTIALS_FILE), `${JSON.stringify(fresh, null, 2)}\n`, {
    mode: 0o600,
  });
  return fresh;
}
