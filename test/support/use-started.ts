// A test file's long-lived resource (a database, a gateway, a browser stack), started once before the
// file's tests and stopped after them. The handle exists from the start, so a file declares it with
// `const` at the top, but the resource behind it only between the file's beforeAll and afterAll hooks:
// reading it outside that window throws instead of handing out `undefined`.
import { afterAll, beforeAll } from 'vitest';

export interface Stoppable {
  stop(): Promise<void>;
}

/** The started resource without `stop`: the file's afterAll owns stopping it. */
export type Started<T extends Stoppable> = Omit<T, 'stop'>;

export function useStarted<T extends Stoppable>(
  name: string,
  start: () => Promise<T>,
  timeoutMs?: number,
): Started<T> {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  }, timeoutMs);
  afterAll(async () => {
    const started = current;
    current = undefined;
    await started?.stop();
  });
  return new Proxy({} as Started<T>, {
    get(_handle, key) {
      if (!current || key === 'stop') {
        throw new Error(
          `${name}: started in beforeAll and stopped in afterAll; read it inside a test or hook`,
        );
      }
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
