// Sign in and sign up share one form: a visitor types an email and a password once and picks
// "Sign in" or "Sign up". A signed-out visitor lands here.
import { useSignal } from '@preact/signals';
import { MIN_PASSWORD_LENGTH, PASSWORD_RULES } from '../../../core/password-rules.ts';
import type { AuthModel } from '../auth/auth-model.ts';

export function AuthScreen({ auth }: { auth: AuthModel }) {
  const email = useSignal('');
  const password = useSignal('');
  const submit = (action: 'in' | 'up') => (event: Event) => {
    event.preventDefault();
    const credentials = { email: email.value.trim(), password: password.value };
    void (action === 'in' ? auth.signIn(credentials) : auth.signUp(credentials));
  };
  return (
    <main class="auth">
      <h1>Routine Sync</h1>
      <p class="muted">Your habits and weight, on every device, online or offline.</p>
      <form class="card auth-form" onSubmit={submit('in')} aria-labelledby="auth-title">
        <h2 id="auth-title">Sign in</h2>
        <label for="auth-email">Email</label>
        <input
          id="auth-email"
          type="email"
          autocomplete="username"
          required
          value={email.value}
          onInput={(e) => (email.value = e.currentTarget.value)}
        />
        <label for="auth-password">Password</label>
        <input
          id="auth-password"
          type="password"
          autocomplete="current-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby="auth-hint"
          value={password.value}
          onInput={(e) => (password.value = e.currentTarget.value)}
        />
        <div id="auth-hint" class="muted small">
          <p>A new account's password needs:</p>
          <ul>
            {PASSWORD_RULES.map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
        </div>
        {auth.error.value && (
          <p class="error" role="alert">
            {auth.error.value}
          </p>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={auth.isBusy.value}>
            Sign in
          </button>
          <button
            type="button"
            disabled={auth.isBusy.value}
            onClick={(e) => {
              if (e.currentTarget.form?.reportValidity() !== false) submit('up')(e);
            }}
          >
            Sign up
          </button>
        </div>
        <p class="muted small">New here? Enter an email and a password, then choose Sign up.</p>
      </form>
    </main>
  );
}
