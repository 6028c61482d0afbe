// What the status bar shows: a tap's quick round trip does not blink "Synced", but a long run of work
// shows once the grace is over, however often its words change (an import's many pushes).
import { type Signal, signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSY_GRACE_MS, createStatusDisplay } from '../../web/src/app/status-display.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function watch(words: Signal<string>) {
  const display = createStatusDisplay(words);
  const seen = [display.shown.value];
  const record = () => {
    if (seen.at(-1) !== display.shown.value) seen.push(display.shown.value);
  };
  return { display, seen, record };
}

describe('the status bar', () => {
  it('keeps "Synced" through a quick round trip', async () => {
    const words = signal('Synced');
    const { display, seen, record } = watch(words);
    words.value = 'Syncing 1 change…';
    await vi.advanceTimersByTimeAsync(BUSY_GRACE_MS / 2);
    record();
    words.value = 'Synced';
    await vi.advanceTimersByTimeAsync(BUSY_GRACE_MS * 2);
    record();
    display.dispose();
    expect(seen).toEqual(['Synced']);
  });

  it('shows a long run of work once the grace is over, though its words change every 100 ms', async () => {
    const words = signal('Synced');
    const { display, seen, record } = watch(words);
    for (let left = 3_000; left > 0; left -= 100) {
      words.value = left % 200 === 0 ? `Syncing ${left} changes…` : `${left} pending`;
      await vi.advanceTimersByTimeAsync(100);
      record();
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.slice(1).every((text) => /^(Syncing \d+ changes…|\d+ pending)$/.test(text))).toBe(true);
    words.value = 'Synced';
    record();
    expect(seen.at(-1)).toBe('Synced');
    display.dispose();
  });

  it('says offline and failures at once, and leaves no timer behind', async () => {
    const words = signal('Synced');
    const { display } = watch(words);
    words.value = 'Syncing 2 changes…';
    words.value = 'Offline · 2 pending';
    expect(display.shown.value).toBe('Offline · 2 pending');
    words.value = 'Synced';
    words.value = '1 pending';
    display.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
