// The one hook the write path calls after a transaction committed (never inside it, never for a
// write that rolled back). The real-time fan-out (the `broadcast` function) plugs in here.
import { pokeOtherDevices } from '../realtime/poke-other-devices.ts';
import type { CommittedWrite } from './committed-write.ts';

export type { CommittedWrite };

export type AfterCommitListener = (write: CommittedWrite) => Promise<void>;

// The real-time fan-out (a no-op unless BROADCAST_FUNCTION_NAME is set).
let listener: AfterCommitListener | undefined = pokeOtherDevices;

/** Set by a composition root (the broadcast wiring); tests may set it to observe commits. */
export function setAfterCommitListener(next: AfterCommitListener | undefined): void {
  listener = next;
}

/** Never fails the request: the write is durable already, and polling is the fallback for a lost poke. */
export async function afterCommit(write: CommittedWrite): Promise<void> {
  if (!listener) return;
  try {
    await listener(write);
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'warn', msg: 'after-commit hook failed', error: String(err), ...write }),
    );
  }
}
