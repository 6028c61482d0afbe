// Mutations are typed at every call site: `npm run typecheck` (tests included) fails if a wrong name
// or argument compiles. The runtime assertions check that what the types allow reaches the outbox.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import type { MutationArgs, MutationName } from '../../core/mutations/index.ts';
import type { AppModel } from '../../web/src/app/app-model.ts';
import { createCoreRebase } from '../../web/src/cache/core-rebase.ts';
import { createOutbox, type Outbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import type { UserSession } from '../../web/src/session/user-session.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';

const DEVICE = 'device_1700000000000_types';

function outbox(): Outbox {
  const replica = createReplica(createCoreRebase(DEVICE));
  return createOutbox({ replica, storage: createMemoryStorage(), clock: createHlc(DEVICE, Date.now) });
}

describe('typed mutations', () => {
  it('takes exactly the arguments of the named mutation, at AppModel, UserSession and Outbox', () => {
    expectTypeOf<AppModel['mutate']>().parameter(0).toEqualTypeOf<MutationName>();
    expectTypeOf<UserSession['mutate']>().parameter(0).toEqualTypeOf<MutationName>();
    expectTypeOf<Outbox['enqueue']>().parameter(0).toEqualTypeOf<MutationName>();
    expectTypeOf<MutationArgs<'logWeight'>>().toEqualTypeOf<{
      date: string;
      value: number;
      unit: 'kg' | 'lb';
    }>();

    const app = {} as AppModel;
    const session = {} as UserSession;
    const queue = {} as Outbox;
    const wrong = () => {
      // @ts-expect-error: no such mutation
      void app.mutate('logWieght', { date: '2024-01-01', value: 70, unit: 'kg' });
      // @ts-expect-error: `value` must be a number
      void app.mutate('logWeight', { date: '2024-01-01', value: '70', unit: 'kg' });
      // @ts-expect-error: `unit` is required
      void session.mutate('logWeight', { date: '2024-01-01', value: 70 });
      // @ts-expect-error: completeTask takes taskId, not id
      void queue.enqueue('completeTask', { id: 'x', date: '2024-01-01' });
    };
    expect(typeof wrong).toBe('function');
  });

  it('queues what the types allow, by name', async () => {
    const entry = await outbox().enqueue('logWeight', { date: '2024-01-01', value: 70, unit: 'kg' });
    expect(entry).toMatchObject({
      id: 1,
      name: 'logWeight',
      args: { date: '2024-01-01', value: 70, unit: 'kg' },
    });
  });
});
