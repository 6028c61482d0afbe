// Containers must not outlive the gateway that started them, even when it is SIGKILLed (the chaos
// suite does that): a frozen (SIGSTOPped) container would otherwise stay behind for good, holding
// its database connections. One small guard process per host knows every container's pid; when the
// gateway dies its end of the pipe closes, and the guard kills them all.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

// Plain JavaScript for `node -e`: it must start without a build step or a loader.
const GUARD_SCRIPT = `
const pids = new Set();
let pending = '';
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const [op, pid] = pending.slice(0, end).split(' ');
    pending = pending.slice(end + 1);
    const n = Number(pid);
    if (!Number.isInteger(n) || n <= 1) continue;
    if (op === '+') pids.add(n); else pids.delete(n);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
`;

export interface OrphanGuard {
  track(pid: number): void;
  untrack(pid: number): void;
  stop(): void;
}

export function startOrphanGuard(): OrphanGuard {
  const guard = spawn(process.execPath, ['-e', GUARD_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
  guard.unref();
  // A child's stdin pipe is a socket; unref'd, it does not keep the gateway's event loop alive.
  const input = guard.stdin as Socket;
  input.unref();
  input.on('error', () => undefined);
  const write = (line: string) => {
    if (!input.destroyed) input.write(`${line}\n`);
  };
  return {
    // Never 0 or 1: kill(0) would take the guard's whole process group, the gateway included.
    track: (pid) => {
      if (Number.isInteger(pid) && pid > 1) write(`+ ${pid}`);
    },
    untrack: (pid) => write(`- ${pid}`),
    stop: () => input.end(),
  };
}
