// A screen loaded on first visit (its own chunk), so the first screen's JavaScript stays small.
import { signal } from '@preact/signals';
import type { ComponentType } from 'preact';

type Props = Record<string, unknown>;

export function lazyScreen<P extends Props>(load: () => Promise<ComponentType<P>>, heading: string) {
  const loaded = signal<ComponentType<P> | null>(null);
  const failed = signal(false);
  let started = false;
  return function LazyScreen(props: P) {
    if (!started) {
      started = true;
      load().then(
        (component) => (loaded.value = component),
        () => (failed.value = true),
      );
    }
    const Component = loaded.value;
    if (Component) return <Component {...props} />;
    return (
      <>
        <h1>{heading}</h1>
        <p class="muted loading" aria-live="polite">
          {failed.value ? 'This page could not be loaded. Check your connection and reload.' : 'Loading…'}
        </p>
      </>
    );
  };
}
