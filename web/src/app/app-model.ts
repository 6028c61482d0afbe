// The application model: who is signed in, their session (replica + sync), toasts, and the sync
// status words. Components read its signals and call its actions; nothing here renders.
import { computed, effect, type ReadonlySignal, signal } from '@preact/signals';
import type { Mutate } from '../../../core/mutations/index.ts';
import { buildSnapshot, type Snapshot } from '../../../core/snapshot.ts';
import type { AuthClient } from '../auth/auth-client.ts';
import { type AuthModel, createAuthModel, type SignOutScope } from '../auth/auth-model.ts';
import { openUserSession, type UserSession } from '../session/user-session.ts';
import { deleteReplicaDatabase } from '../sync/idb-storage.ts';
import type { PokeSource, SyncIntervals } from '../sync/sync-manager.ts';
import { createToastModel, type ToastModel } from '../ui/toasts.ts';
import { rollbackMessage } from './describe.ts';
import { showsRefresh, syncStatusText } from './sync-status.ts';
import { createToday } from './today.ts';

export interface AppModel {
  readonly auth: AuthModel;
  readonly session: ReadonlySignal<UserSession | null>;
  readonly toasts: ToastModel;
  readonly today: ReadonlySignal<string>;
  /** The rebased view of the user's data (empty while signed out). */
  readonly view: ReadonlySignal<Snapshot>;
  /** False until the replica has data from storage or a first pull: only then may a screen show a spinner. */
  readonly hasData: ReadonlySignal<boolean>;
  readonly statusText: ReadonlySignal<string>;
  readonly showsRefresh: ReadonlySignal<boolean>;
  readonly unackedCount: ReadonlySignal<number>;
  mutate: Mutate<Promise<void>>;
  refresh(): Promise<void>;
  setSyncIntervals(intervals: SyncIntervals): void;
  signOut(scope?: SignOutScope): Promise<void>;
  /** Deletes the account on the server, then this device's copy; resolves to why it failed, or null. */
  deleteAccount(password: string): Promise<string | null>;
}

export interface AppModelOptions {
  authClient: AuthClient;
  pokeSource?: (userId: string) => PokeSource | undefined;
  intervals?: SyncIntervals;
}

const EMPTY = buildSnapshot([]);

export function createAppModel(options: AppModelOptions): AppModel {
  const auth = createAuthModel(options.authClient);
  const toasts = createToastModel();
  const session = signal<UserSession | null>(null);
  const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const { today } = createToday();
  let intervals = options.intervals;
  window.addEventListener('online', () => (online.value = true));
  window.addEventListener('offline', () => (online.value = false));

  // Open the signed-in user's session; close it when they sign out or someone else signs in.
  let opening = 0;
  effect(() => {
    const userId = auth.user.value?.userId;
    if (session.peek()?.userId === userId) return;
    session.peek()?.close();
    session.value = null;
    if (!userId) return;
    const ticket = ++opening;
    const pokeSource = options.pokeSource?.(userId);
    void openUserSession({
      userId,
      ...(intervals ? { intervals } : {}),
      ...(pokeSource ? { pokeSource } : {}),
      onRejected: (rejections) => {
        const snapshot = session.peek()?.replica.view.peek() ?? EMPTY;
        for (const r of rejections) toasts.show(rollbackMessage(r.entry, snapshot, r.reason));
      },
      onUnauthorized: () => auth.expire(),
      onStoreError: () => toasts.show('This browser refused to save the change, so it was undone.'),
      onSuperseded: () => toasts.show('Changed on another device'),
    }).then((opened) => {
      if (ticket === opening && auth.user.peek()?.userId === userId) session.value = opened;
      else opened.close();
    });
  });

  const view = computed(() => session.value?.replica.view.value ?? EMPTY);
  const hasData = computed(() => session.value?.replica.hasData.value ?? false);
  const unackedCount = computed(
    () => session.value?.replica.pending.value.filter((e) => e.ackedAtVersion === undefined).length ?? 0,
  );
  const status = computed(() => session.value?.status.value);

  return {
    auth,
    session,
    toasts,
    today,
    view,
    hasData,
    unackedCount,
    statusText: computed(() => {
      const s = status.value;
      if (!s) return online.value ? 'Syncing…' : 'Offline';
      return syncStatusText(s, unackedCount.value, online.value, hasData.value);
    }),
    showsRefresh: computed(() => (status.value ? showsRefresh(status.value, online.value) : false)),
    async mutate(name, args) {
      const current = session.peek();
      if (current) await current.mutate(name, args);
    },
    async refresh() {
      await session.peek()?.syncNow();
    },
    setSyncIntervals(next) {
      intervals = next;
      session.peek()?.setIntervals(next);
    },
    async signOut(scope) {
      const current = session.peek();
      const userId = auth.user.peek()?.userId;
      // Best effort to send what is queued; what cannot be sent is lost with the local data, which
      // is the point of signing out on a shared computer.
      if (current && navigator.onLine) await Promise.race([current.syncNow(), delay(3_000)]);
      await auth.signOut(scope);
      // Not awaited: other tabs may hold the database open until they notice the sign-out.
      if (userId) void deleteReplicaDatabase(userId).catch(() => undefined);
    },
    async deleteAccount(password) {
      const userId = auth.user.peek()?.userId;
      const failure = await auth.deleteAccount(password);
      if (!failure && userId) void deleteReplicaDatabase(userId).catch(() => undefined);
      return failure;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
