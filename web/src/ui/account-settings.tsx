// Settings › Account: who is signed in, signing out (here or everywhere), changing the password and
// deleting the account. Signing out removes this device's copy, so when changes are still waiting
// to reach the server the user is asked first, with their number.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { PASSWORD_RULES } from '../../../core/password-rules.ts';
import type { AppModel } from '../app/app-model.ts';
import type { SignOutScope } from '../auth/auth-model.ts';

const unsentWords = (count: number) =>
  count === 1
    ? '1 change has not reached the server yet.'
    : `${count} changes have not reached the server yet.`;

function ConfirmSignOut({ count, onAnswer }: { count: number; onAnswer: (ok: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-sign-out-title"
      aria-describedby="confirm-sign-out-text"
      onCancel={() => onAnswer(false)}
    >
      <h2 id="confirm-sign-out-title">Sign out and discard changes?</h2>
      <p id="confirm-sign-out-text">
        {unsentWords(count)} Signing out removes this device's copy, and those changes with it.
      </p>
      <div class="row">
        <button type="button" class="primary" onClick={() => onAnswer(false)}>
          Stay signed in
        </button>
        <button type="button" onClick={() => onAnswer(true)}>
          Sign out and discard
        </button>
      </div>
    </dialog>
  );
}

function ChangePassword({ app }: { app: AppModel }) {
  const current = useSignal('');
  const next = useSignal('');
  const outcome = useSignal<{ ok: boolean; text: string } | null>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    const failure = await app.auth.changePassword(current.value, next.value);
    busy.value = false;
    outcome.value = failure
      ? { ok: false, text: failure }
      : { ok: true, text: 'Password changed. Your other devices have been signed out.' };
    if (!failure) current.value = next.value = '';
  };
  return (
    <form onSubmit={submit} aria-labelledby="change-password-title">
      <h3 id="change-password-title">Change password</h3>
      <label for="current-password">Current password</label>
      <input
        id="current-password"
        type="password"
        autocomplete="current-password"
        required
        value={current.value}
        onInput={(e) => (current.value = e.currentTarget.value)}
      />
      <label for="new-password">New password</label>
      <input
        id="new-password"
        type="password"
        autocomplete="new-password"
        required
        aria-describedby="new-password-rules"
        value={next.value}
        onInput={(e) => (next.value = e.currentTarget.value)}
      />
      <ul id="new-password-rules" class="muted small">
        {PASSWORD_RULES.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
      {outcome.value && (
        <p class={outcome.value.ok ? '' : 'error'} role={outcome.value.ok ? 'status' : 'alert'}>
          {outcome.value.text}
        </p>
      )}
      <button type="submit" disabled={busy.value}>
        Change password
      </button>
    </form>
  );
}

function DeleteAccount({ app }: { app: AppModel }) {
  const password = useSignal('');
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    failure.value = await app.deleteAccount(password.value);
    busy.value = false;
  };
  return (
    <form onSubmit={submit} aria-labelledby="delete-account-title">
      <h3 id="delete-account-title">Delete account</h3>
      <p class="muted small">
        Removes your account and all its tasks, completions, weights and settings from the server and from
        every device. This cannot be undone.
      </p>
      <label for="delete-password">Password</label>
      <input
        id="delete-password"
        type="password"
        autocomplete="current-password"
        required
        value={password.value}
        onInput={(e) => (password.value = e.currentTarget.value)}
      />
      {failure.value && (
        <p class="error" role="alert">
          {failure.value}
        </p>
      )}
      <button type="submit" disabled={busy.value}>
        Delete my account and data
      </button>
    </form>
  );
}

export function AccountSettings({ app }: { app: AppModel }) {
  const confirming = useSignal<SignOutScope | null>(null);
  const unsent = app.unackedCount.value;
  const signOut = (scope: SignOutScope) => {
    if (app.unackedCount.peek() > 0) confirming.value = scope;
    else void app.signOut(scope);
  };
  const answer = (ok: boolean) => {
    const scope = confirming.peek();
    confirming.value = null;
    if (ok && scope) void app.signOut(scope);
  };
  return (
    <div class="card">
      <h2>Account</h2>
      <p>Signed in as {app.auth.user.value?.email}</p>
      <p class="muted small">Device {app.session.value?.deviceId ?? '…'}</p>
      {unsent > 0 && <p class="error">{unsentWords(unsent)}</p>}
      <div class="row">
        <button type="button" onClick={() => signOut('this-device')}>
          Sign out
        </button>
        <button type="button" onClick={() => signOut('everywhere')}>
          Sign out everywhere
        </button>
      </div>
      {confirming.value && <ConfirmSignOut count={unsent} onAnswer={answer} />}
      <ChangePassword app={app} />
      <DeleteAccount app={app} />
    </div>
  );
}
