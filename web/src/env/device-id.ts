// The device id (`device_${timestamp}_${random}`, the format the compatibility endpoints know, in
// localStorage). It is kept per user, because the server binds a device id to the first user who
// presents it, and it is renewed whenever the local replica is new: mutation ids restart at 1 with a
// new outbox, and a server that already saw ids from the old one would otherwise take the new
// mutations for replays.
import { isDeviceId, newDeviceId } from '../../../core/ids.ts';

const keyFor = (userId: string) => `routine-sync:device-id:${userId}`;

export function deviceIdFor(userId: string, replicaIsNew: boolean, storage: Storage = localStorage): string {
  const existing = storage.getItem(keyFor(userId));
  if (existing && isDeviceId(existing) && !replicaIsNew) return existing;
  const fresh = newDeviceId();
  storage.setItem(keyFor(userId), fresh);
  return fresh;
}

export function forgetDeviceId(userId: string, storage: Storage = localStorage): void {
  storage.removeItem(keyFor(userId));
}
