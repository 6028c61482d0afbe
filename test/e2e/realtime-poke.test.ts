// With the WebSocket API attached, the sync manager takes pokes from the real-time client: polling is
// suspended while the socket is up, and a change on one device reaches the other through a poke.
import { expect, it } from 'vitest';
import {
  addTask,
  countPulls,
  newAccount,
  signIn,
  signUp,
  taskItem,
  useStack,
  waitForStatus,
} from './harness.ts';

const stack = useStack({ websocket: true });

it('a poke, not a poll, brings A’s change to B', async () => {
  const account = newAccount();
  const a = await (await stack.device()).newPage();
  await signUp(a, account);
  await addTask(a, 'Swim');
  await a.getByRole('link', { name: 'Today' }).click();
  await waitForStatus(a, /^Synced/);
  const b = await (await stack.device()).newPage();
  const socketOpened = b.waitForEvent('websocket', { predicate: (ws) => ws.url().includes('/ws') });
  await signIn(b, account);
  await taskItem(b, 'Swim').waitFor();
  const frames: string[] = [];
  (await socketOpened).on('framereceived', (frame) => frames.push(String(frame.payload)));
  await b.waitForTimeout(1_000); // the catch-up pull after connecting
  const pulls = countPulls(b);
  await b.waitForTimeout(12_000); // more than two polling intervals
  expect(pulls.count).toBe(0);
  await taskItem(a, 'Swim').getByRole('button', { name: 'Complete' }).click();
  await taskItem(b, 'Swim').getByRole('button', { name: 'Undo' }).waitFor({ timeout: 10_000 });
  // The poke carried the change (a streamed poke: B applies its records, or pulls when it is not
  // at the poke's fromVersion), so what brought it was the socket, not a timer.
  const pokes = frames.map((f) => JSON.parse(f) as { type?: string; stream?: unknown });
  expect(pokes.some((p) => p.type === 'poke' && p.stream !== undefined)).toBe(true);
}, 120_000);
