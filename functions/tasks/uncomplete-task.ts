// POST /api/tasks/{taskId}/uncomplete {date} → {version, status}
// Core's `uncompleteTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'uncompleteTask', params: { taskId: 'taskId' } });
