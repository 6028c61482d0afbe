// What one step of the load benchmark measured: every request's latency and failure, and each
// mutation's latency from the moment it was offered to the push answer that acknowledged it (so a
// mutation waiting behind its device's previous push counts its wait: no coordinated omission).
import { percentile } from '../lib/load.ts';

export type RequestKind = 'push' | 'read' | 'sync-pull' | 'poke-pull';

export interface StepSink {
  mutationMs: number[];
  requestMs: Record<RequestKind, number[]>;
  errors: Record<RequestKind, number>;
  offeredMutations: number;
  offeredReads: number;
}

export function createSink(): StepSink {
  const kinds = () => ({ push: [], read: [], 'sync-pull': [], 'poke-pull': [] });
  return {
    mutationMs: [],
    requestMs: kinds(),
    errors: { push: 0, read: 0, 'sync-pull': 0, 'poke-pull': 0 },
    offeredMutations: 0,
    offeredReads: 0,
  };
}

export interface StepSummary {
  mutationP50: number;
  mutationP99: number;
  requestP50: number;
  requestP99: number;
  requests: number;
  errors: number;
  acknowledged: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function summarizeSink(sink: StepSink): StepSummary {
  const mutations = [...sink.mutationMs].sort((a, b) => a - b);
  const requests = Object.values(sink.requestMs)
    .flat()
    .sort((a, b) => a - b);
  return {
    mutationP50: round(percentile(mutations, 50)),
    mutationP99: round(percentile(mutations, 99)),
    requestP50: round(percentile(requests, 50)),
    requestP99: round(percentile(requests, 99)),
    requests: requests.length,
    errors: Object.values(sink.errors).reduce((a, b) => a + b, 0),
    acknowledged: mutations.length,
  };
}
