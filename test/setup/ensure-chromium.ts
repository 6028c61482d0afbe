// Browser tests drive Debian's Chromium (never a downloaded browser). On a fresh machine it is
// installed here when we are root; otherwise we stop with the one command that fixes it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

function install(): void {
  console.log('[setup] Chromium is missing; installing Debian package "chromium"…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
}

if (!existsSync(CHROMIUM_PATH)) {
  if (process.getuid?.() === 0) {
    install();
  } else {
    console.error(
      `[setup] Browser tests need Chromium at ${CHROMIUM_PATH}. Run: sudo apt-get install -y chromium`,
    );
    process.exit(1);
  }
}
