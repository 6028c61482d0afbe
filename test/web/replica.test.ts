// The replica's signals after a pull: a pull that brought nothing (most polls, and the start's first
// pull of a returning user) must not hand the screens a new snapshot to recompute and re-render.
import { effect } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { zeroVersions } from '../../core/records.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { record, testRebase } from './fakes.ts';

function loadedReplica() {
  const replica = createReplica(testRebase);
  replica.replaceAll(
    {
      records: { ...emptyLists(), tasks: [record('a', { title: 'A' })] },
      versions: { ...zeroVersions(), tasks: 5 },
      outbox: [],
    },
    false,
  );
  return replica;
}

function emptyLists() {
  return { tasks: [], completions: [], weights: [], settings: [] };
}

describe('replica after a pull', () => {
  it('keeps its view, base and versions when the pull brought nothing new', () => {
    const replica = loadedReplica();
    const before = { view: replica.view.value, base: replica.base.value, versions: replica.versions.value };
    let renders = 0;
    const stop = effect(() => {
      void replica.view.value;
      void replica.versions.value;
      renders += 1;
    });
    replica.mergePulled({ tasks: [] }, { tasks: 5 });
    stop();
    expect(renders).toBe(1);
    expect(replica.view.value).toBe(before.view);
    expect(replica.base.value).toBe(before.base);
    expect(replica.versions.value).toBe(before.versions);
  });

  it('moves the versions on when only they changed, and takes what a pull brought', () => {
    const replica = loadedReplica();
    const view = replica.view.value;
    replica.mergePulled({}, { completions: 7 });
    expect(replica.versions.value).toMatchObject({ tasks: 5, completions: 7 });
    expect(replica.view.value).toBe(view);
    replica.mergePulled({ tasks: [record('b', { title: 'B' })] }, { tasks: 8 });
    expect(replica.view.value).not.toBe(view);
    expect(replica.view.value.tasks.map((t) => t.title).sort()).toEqual(['A', 'B']);
    expect(replica.hasData.value).toBe(true);
  });
});
