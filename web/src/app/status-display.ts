// What the status bar shows of the status words. From "Synced", the busy words ("Syncing…", "N pending")
// wait a moment, so a tap's change, usually sent within a blink, does not blink the bar. The moment
// counts from when the work began, not from the last change of words: a long run of work whose words
// change all the time (an import's hundreds of pushes, each "Syncing N changes…") shows once the moment
// is over, instead of "Synced" until it is all done. Offline and failures show at once.
import { effect, type ReadonlySignal, signal } from '@preact/signals';
import { realTimers, type TimerHandle, type Timers } from '../sync/timers.ts';

export const BUSY_GRACE_MS = 400;
const BUSY = /^(Syncing|\d+ pending$)/;

export interface StatusDisplay {
  readonly shown: ReadonlySignal<string>;
  dispose(): void;
}

export function createStatusDisplay(
  words: ReadonlySignal<string>,
  timers: Timers = realTimers,
): StatusDisplay {
  const shown = signal(words.peek());
  let grace: TimerHandle | undefined;
  const endGrace = () => {
    if (grace !== undefined) timers.clearTimeout(grace);
    grace = undefined;
  };
  const stop = effect(() => {
    const latest = words.value;
    if (BUSY.test(latest) && shown.peek().startsWith('Synced')) {
      grace ??= timers.setTimeout(() => {
        grace = undefined;
        shown.value = words.peek();
      }, BUSY_GRACE_MS);
      return;
    }
    endGrace();
    shown.value = latest;
  });
  return {
    shown,
    dispose() {
      endGrace();
      stop();
    },
  };
}
