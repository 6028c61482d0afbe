// Mutation arguments for the sync tests.
import { addDays, utcDateOf } from '../../core/dates.ts';
import { newId } from '../../core/ids.ts';

export const TODAY = utcDateOf(Date.now());

export function day(offset: number): string {
  return addDays(TODAY, offset);
}

export function createTaskArgs(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    title: 'Stretch',
    points: 5,
    weekdays: [0, 1, 2, 3, 4, 5, 6],
    createdOn: day(-30),
    order: 0,
    ...overrides,
  };
}

let userCounter = 0;
export function newUserId(): string {
  userCounter += 1;
  return `user-${userCounter}-${Math.random().toString(36).slice(2, 8)}`;
}
