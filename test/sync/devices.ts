// A simulated device for the sync tests: its own id, HLC and mutation counter, talking to the real
// handlers with payload 2.0 events.
import { formatHlc } from '../../core/hlc.ts';
import type { PullResponse, PushResponse } from '../../core/schemas.ts';
import { handler as pullHandler } from '../../functions/sync/pull.ts';
import { handler as pushHandler } from '../../functions/sync/push.ts';
import { type Answer, call } from './call.ts';

let deviceCounter = 0;

export function newTestDeviceId(): string {
  deviceCounter += 1;
  return `device_${1_700_000_000_000 + deviceCounter}_${Math.random().toString(36).slice(2, 10)}`;
}

export class TestDevice {
  readonly deviceId: string;
  nextMutationId = 1;
  private wallMs: number;
  private counter = 0;

  constructor(
    readonly userId: string,
    options: { deviceId?: string; wallMs?: number } = {},
  ) {
    this.deviceId = options.deviceId ?? newTestDeviceId();
    this.wallMs = options.wallMs ?? Date.now();
  }

  /** A stamp at `wallMs` (explicit, to stage out-of-order arrivals) or the next on this device. */
  hlc(wallMs?: number): string {
    if (wallMs !== undefined) return formatHlc({ wallMs, counter: 0, deviceId: this.deviceId });
    this.counter += 1;
    return formatHlc({ wallMs: this.wallMs, counter: this.counter, deviceId: this.deviceId });
  }

  envelope(name: string, args: unknown, hlc = this.hlc()) {
    const id = this.nextMutationId;
    this.nextMutationId += 1;
    return { id, name, args, hlc };
  }

  push(mutations: unknown[]): Promise<Answer<PushResponse>> {
    return call<PushResponse>(pushHandler, {
      method: 'POST',
      path: '/api/sync/push',
      body: { deviceId: this.deviceId, mutations },
      userId: this.userId,
    });
  }

  async mutate(name: string, args: unknown, hlc?: string): Promise<PushResponse> {
    const answer = await this.push([this.envelope(name, args, hlc)]);
    if (answer.status !== 200)
      throw new Error(`push ${name} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  pull(since: number, collections?: string): Promise<Answer<PullResponse>> {
    return call<PullResponse>(pullHandler, {
      path: '/api/sync/pull',
      query: { since: String(since), ...(collections ? { collections } : {}) },
      headers: { 'accept-encoding': 'br, gzip' },
      userId: this.userId,
    });
  }
}
