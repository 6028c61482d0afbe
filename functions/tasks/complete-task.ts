// POST /api/tasks/{taskId}/complete {date, points?} → {version, status}
// Core's `completeTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'completeTask', params: { taskId: 'taskId' } });
