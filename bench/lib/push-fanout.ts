// Fan-out: one user with `devices` connected sockets; a write from another device of theirs; the time
// from sending the mutation request until the last socket has its poke.

import { loadavg } from 'node:os';
import { newDeviceId } from '../../core/ids.ts';
import { device, openSocket, signUp, type TestSocket, wsTicket } from '../../test/realtime/stack.ts';
import { percentile } from './load.ts';

export interface FanOutReport {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** 1-minute load average when the rounds ended: the machine is shared, compare runs at like load. */
  loadAvg1m: number;
}

function allPoked(sockets: readonly TestSocket[], version: number): Promise<void> {
  return Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((done) => {
          const seen = () => s.received.some((m) => (m as { version?: number }).version === version);
          if (seen()) return done();
          const check = () => {
            if (!seen()) return;
            s.socket.off('message', check);
            done();
          };
          s.socket.on('message', check);
        }),
    ),
  ).then(() => undefined);
}

export async function measureFanOut(
  baseUrl: string,
  webSocketUrl: string,
  devices: number,
  rounds: number,
): Promise<FanOutReport> {
  const user = await signUp(baseUrl);
  const sockets: TestSocket[] = [];
  for (let i = 0; i < devices; i++) {
    sockets.push(
      await openSocket(`${webSocketUrl}?ticket=${await wsTicket(baseUrl, user.cookie, newDeviceId())}`),
    );
  }
  const writer = device(baseUrl, user.cookie);
  // Waited for: otherwise the warm-up's fan-out (the container's first: SDK client, 100 new sockets)
  // is still posting while round 0 runs, and round 0 measures both.
  const warmUp = await writer.createTask('warm-up');
  await allPoked(sockets, warmUp.version);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    // The version is known only from the answer; the pokes may arrive before it.
    const write = writer.createTask(`task ${round}`);
    const { version } = await write;
    await allPoked(sockets, version);
    samples.push(performance.now() - started);
  }
  const loadAvg1m = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  await Promise.all(sockets.map((s) => s.close()));
  samples.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    maxMs: round(samples.at(-1) ?? Number.NaN),
    loadAvg1m,
  };
}
