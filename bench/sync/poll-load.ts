// Open-loop polling: `devices` devices each calling check-update every `periodMs`, spread evenly over
// the period, for one unmeasured period (every device opens its connection) and then `durationMs`.
// Latency is measured from each call's send to its answer.
import { percentile } from '../lib/load.ts';
import type { Client } from './http.ts';

export interface PollDevice {
  client: Client;
  deviceId: string;
}

export interface PollReport {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function pollLoad(
  devices: readonly PollDevice[],
  periodMs: number,
  durationMs: number,
): Promise<PollReport> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = periodMs + durationMs;
  const one = async (device: PollDevice, offsetMs: number) => {
    for (let at = offsetMs; at < end; at += periodMs) {
      const measured = at >= periodMs;
      const wait = start + at - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        const reply = await device.client.send('GET', `/api/sync/check-update?deviceId=${device.deviceId}`);
        if (reply.status !== 200) errors += 1;
        if (measured) latencies.push(reply.ms);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(devices.map((d, i) => one(d, (i * periodMs) / devices.length)));
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: latencies.length,
    errors,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
  };
}
