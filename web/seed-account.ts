// Seeds an account on a running local stack through the public API (sign-up, then the same pushes
// the app sends), for the screenshots and the web benchmarks. Node-side tooling, not part of the app.
import { addDays, diffDays, type LocalDate, weekdayOf } from '../core/dates.ts';
import { createHlc } from '../core/hlc.ts';
import { newDeviceId, newId } from '../core/ids.ts';
import type { PushResponse } from '../core/schemas/sync-schemas.ts';

export interface SeedMutation {
  name: string;
  args: unknown;
}

export interface Account {
  email: string;
  password: string;
}

const PUSH_BATCH = 100;
const PUSH_ATTEMPTS = 3;

/** Signs the account up; resolves to the session cookie header. */
export async function signUpAccount(url: string, account: Account): Promise<string> {
  const res = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Pushes the mutations as one new device, in small batches (a replayed batch is acknowledged, not applied twice). */
export async function pushMutations(url: string, cookie: string, mutations: SeedMutation[]): Promise<void> {
  const deviceId = newDeviceId();
  const clock = createHlc(deviceId, Date.now);
  const stamped = mutations.map((m, i) => ({ id: i + 1, ...m, hlc: clock.next() }));
  for (let i = 0; i < stamped.length; i += PUSH_BATCH) {
    const body = JSON.stringify({ deviceId, mutations: stamped.slice(i, i + PUSH_BATCH) });
    for (let attempt = 1; ; attempt += 1) {
      const res = await fetch(`${url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body,
      });
      if (res.ok) {
        const answer = (await res.json()) as PushResponse;
        const refused = answer.results.find((r) => r.status === 'rejected');
        if (refused)
          throw new Error(`push: mutation ${refused.id} rejected: ${JSON.stringify(refused.error)}`);
        break;
      }
      if (res.status < 500 || attempt === PUSH_ATTEMPTS) {
        throw new Error(`push answered ${res.status}: ${await res.text()}`);
      }
    }
  }
}

/** A repeatable pseudo-random sequence in [0, 1) (mulberry32), so every run seeds the same story. */
function randomFrom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HabitPlan {
  title: string;
  points: number;
  weekdays: number[];
  schedule:
    | { kind: 'weekdays' }
    | { kind: 'timesPerWeek'; times: number }
    | { kind: 'everyNDays'; days: number };
  /** How likely a scheduled day is done, early on and lately (the habit gets stronger). */
  odds: [number, number];
}

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const HABITS: HabitPlan[] = [
  { title: 'Morning run', points: 3, weekdays: [1, 3, 5], schedule: { kind: 'weekdays' }, odds: [0.55, 0.9] },
  {
    title: 'Read 20 pages',
    points: 1,
    weekdays: EVERY_DAY,
    schedule: { kind: 'weekdays' },
    odds: [0.6, 0.85],
  },
  {
    title: 'Strength training',
    points: 2,
    weekdays: EVERY_DAY,
    schedule: { kind: 'timesPerWeek', times: 3 },
    odds: [0.3, 0.5],
  },
  {
    title: 'Water the plants',
    points: 1,
    weekdays: EVERY_DAY,
    schedule: { kind: 'everyNDays', days: 3 },
    odds: [0.8, 0.95],
  },
  {
    title: 'Meditate 10 minutes',
    points: 1,
    weekdays: EVERY_DAY,
    schedule: { kind: 'weekdays' },
    odds: [0.35, 0.8],
  },
];

function isDue(plan: HabitPlan, createdOn: LocalDate, date: LocalDate): boolean {
  if (plan.schedule.kind === 'everyNDays') return diffDays(createdOn, date) % plan.schedule.days === 0;
  return plan.weekdays.includes(weekdayOf(date));
}

/**
 * Months of a believable life up to yesterday: five habits (weekdays, times per week, every N days)
 * started `days` ago and kept better over time, with a skip now and then, and a weight logged most
 * mornings, drifting down, with a three-week gap (a holiday) in the middle. Of today, one habit is done.
 */
export function habitHistory(today: LocalDate, days = 420): { mutations: SeedMutation[]; taskIds: string[] } {
  const random = randomFrom(17);
  const start = addDays(today, -days);
  const taskIds = HABITS.map(() => newId());
  const mutations: SeedMutation[] = HABITS.map((plan, order) => ({
    name: 'createTask',
    args: {
      id: taskIds[order],
      title: plan.title,
      points: plan.points,
      weekdays: plan.weekdays,
      schedule: plan.schedule,
      createdOn: start,
      order,
    },
  }));
  const gap = { from: addDays(start, Math.floor(days / 2)), to: addDays(start, Math.floor(days / 2) + 21) };
  for (let d = 0; d < days; d += 1) {
    const date = addDays(start, d);
    const progress = d / days;
    HABITS.forEach((plan, i) => {
      if (!isDue(plan, start, date)) return;
      const odds = plan.odds[0] + (plan.odds[1] - plan.odds[0]) * progress;
      const roll = random();
      if (roll < odds) mutations.push({ name: 'completeTask', args: { taskId: taskIds[i], date } });
      else if (roll < odds + 0.05) mutations.push({ name: 'skipTask', args: { taskId: taskIds[i], date } });
    });
    const away = date >= gap.from && date < gap.to;
    if (!away && random() < 0.8) {
      const value = 84 - 5 * progress + Math.sin(d / 5) * 0.4 + (random() - 0.5) * 0.6;
      mutations.push({ name: 'logWeight', args: { date, value: Math.round(value * 10) / 10, unit: 'kg' } });
    }
  }
  // Half of today done, so Today shows both states.
  mutations.push({ name: 'completeTask', args: { taskId: taskIds[1], date: today } });
  return { mutations, taskIds };
}
