// uPlot is loaded on first use (its own chunk), so it does not weigh on the first screen.
import type UPlotClass from 'uplot';

export type UPlotConstructor = typeof UPlotClass;
export type UPlotOptions = UPlotClass.Options;
export type UPlotChart = { destroy(): void; setSize(size: { width: number; height: number }): void };

let loading: Promise<UPlotConstructor> | undefined;

export function loadUPlot(): Promise<UPlotConstructor> {
  loading ??= import('uplot').then((m) => m.default as UPlotConstructor);
  return loading;
}

/** A colour of the current theme (charts draw on canvas, which does not follow CSS). */
export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Noon UTC of a local date, in seconds: uPlot's time axis, never shifted across a day boundary. */
export function toSeconds(date: string): number {
  return Date.parse(`${date}T12:00:00Z`) / 1000;
}
