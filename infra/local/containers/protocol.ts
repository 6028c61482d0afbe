// Messages between the container host and the runtime inside a container (Node's IPC channel).
import type { FunctionErrorPayload } from '../function-error.ts';

export type HostMessage = { type: 'invoke'; requestId: string; event: unknown; deadline: number };

export type RuntimeMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: FunctionErrorPayload }
  | { type: 'result'; requestId: string; value: unknown; maxRssMb: number }
  | { type: 'error'; requestId: string; error: FunctionErrorPayload; maxRssMb: number };
