// What the simulated users do. Every mutation here is valid whatever order the server sees them in
// (tasks exist before the chaos starts, dates are after their creation, marks carry the points the
// user saw, no archives), so the server never has a reason to reject one and the final state must
// equal every mutation applied in HLC order.
import { addDays } from '../../../core/dates.ts';
import { newId } from '../../../core/ids.ts';
import type { Rng } from './rng.ts';

export const CREATED_ON = '2024-01-01';
const FIRST_DAY = '2024-03-01';
const DAYS = 6;

export interface Call {
  name: string;
  args: unknown;
}

export function setupTasks(count: number): Call[] {
  return Array.from({ length: count }, (_, order) => ({
    name: 'createTask',
    args: {
      id: newId(),
      title: `Task ${order}`,
      points: 5,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      createdOn: CREATED_ON,
      order,
    },
  }));
}

export function randomCall(rng: Rng, taskIds: readonly string[]): Call {
  const taskId = rng.pick(taskIds);
  const date = addDays(FIRST_DAY, rng.int(DAYS));
  const points = 1 + rng.int(20);
  switch (rng.int(8)) {
    case 0:
    case 1:
      return { name: 'completeTask', args: { taskId, date, points } };
    case 2:
      return { name: 'skipTask', args: { taskId, date, points } };
    case 3:
      return { name: 'uncompleteTask', args: { taskId, date } };
    case 4:
      return { name: 'logWeight', args: { date, value: 60 + rng.int(300) / 10, unit: 'kg' } };
    case 5:
      return { name: 'deleteWeight', args: { date } };
    case 6:
      return rng.chance(0.5)
        ? { name: 'editTask', args: { id: taskId, title: `Task ${rng.int(1000)}` } }
        : { name: 'editTask', args: { id: taskId, points } };
    default:
      return { name: 'updateSettings', args: { weekStart: rng.pick([0, 1]) } };
  }
}
