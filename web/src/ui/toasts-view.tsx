import type { ToastModel } from './toasts.ts';

export function Toasts({ model }: { model: ToastModel }) {
  return (
    <section class="toasts" aria-label="Notifications">
      {model.toasts.value.map((t) => (
        <div key={t.id} class={`toast ${t.tone}`} role="alert">
          <span>{t.message}</span>
          <button type="button" class="small-button" aria-label="Dismiss" onClick={() => model.dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
