// POST /api/tasks/{taskId}/skip {date, points?} → {version, status}
// Core's `skipTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'skipTask', params: { taskId: 'taskId' } });
