// Toasts: short messages that explain what happened (a rolled-back change, a failed sign-in).
import { type Signal, signal } from '@preact/signals';
import { realTimers, type Timers } from '../sync/timers.ts';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
}

export interface ToastModel {
  readonly toasts: Signal<readonly Toast[]>;
  show(message: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}

export const TOAST_MS = 8_000;

export function createToastModel(timers: Timers = realTimers): ToastModel {
  const toasts = signal<readonly Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  };
  return {
    toasts,
    show(message, tone = 'error') {
      // The same message twice in a row (two tabs, a retry) is shown once.
      if (toasts.value.some((t) => t.message === message)) return;
      const toast = { id: next++, message, tone };
      toasts.value = [...toasts.value.slice(-3), toast];
      timers.setTimeout(() => dismiss(toast.id), TOAST_MS);
    },
    dismiss,
  };
}
