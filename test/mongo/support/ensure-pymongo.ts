// The second driver the type tests check the server with: Debian's python3-pymongo, for the
// system Python (/usr/bin/python3; a Python earlier on PATH may not see Debian's packages). On a
// machine without it the package is installed when we are root, as the browser tests install
// Chromium; otherwise this throws with the command that fixes it, so the tests fail, never skip.
import { execFileSync } from 'node:child_process';

export const SYSTEM_PYTHON = '/usr/bin/python3';

function hasPymongo(): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import pymongo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensurePymongo(): void {
  if (hasPymongo()) return;
  if (process.getuid?.() !== 0) {
    throw new Error('python3-pymongo is missing. Run: sudo apt-get install -y python3-pymongo');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-pymongo'], {
    stdio: 'inherit',
    env,
  });
  if (!hasPymongo()) throw new Error(`python3-pymongo was installed but ${SYSTEM_PYTHON} cannot import it`);
}
