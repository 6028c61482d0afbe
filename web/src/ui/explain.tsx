// Short explanations of the figures, each behind a "?" disclosure button next to its figure (a real
// button: it opens with Enter or Space and says whether it is expanded).
import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';

export const EXPLANATIONS = {
  points: {
    name: 'points',
    text: 'Each task is worth the points you gave it. Completing it earns them for that day; skipping earns none.',
  },
  betterPercent: {
    name: 'the better percentage',
    text: '“1% better every day”: each finished day multiplies your score by up to 1.01 when everything is done, down to 0.99 when nothing is. Skipped tasks and rest days leave it as it is.',
  },
  streak: {
    name: 'the streak',
    text: 'Days in a row on which every task was completed or skipped, with at least one completed. Days with nothing scheduled do not break it; today joins once it is all marked.',
  },
  strength: {
    name: 'strength',
    text: 'How established the habit is, from 0 to 100%. Every time you do it, it grows; every time it is missed, it shrinks, and recent days weigh most, so one miss after a long run costs little. Skipped and unscheduled days leave it unchanged.',
  },
  taskStreak: {
    name: 'this streak',
    text: 'Times in a row this task was done when it counted. A missed day ends it; skipped days and days it was not scheduled do not.',
  },
  skip: {
    name: 'Skip',
    text: 'Skip a task you cannot do today for a good reason: it counts as settled, earns no points, and does not lower your completion rate, strength or better percentage. A day with only skips does not extend the streak.',
  },
} as const;

export type ExplainTopic = keyof typeof EXPLANATIONS;

export function Explain({ topic }: { topic: ExplainTopic }) {
  const open = useSignal(false);
  const id = useId();
  const { name, text } = EXPLANATIONS[topic];
  return (
    <span class="explain">
      <button
        type="button"
        class="explain-button"
        aria-expanded={open.value}
        aria-controls={id}
        onClick={() => (open.value = !open.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') open.value = false;
        }}
      >
        <span aria-hidden="true">?</span>
        <span class="visually-hidden">What is {name}?</span>
      </button>
      <span id={id} class="explain-text small" hidden={!open.value}>
        {text}
      </span>
    </span>
  );
}
