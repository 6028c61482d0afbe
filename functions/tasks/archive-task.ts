// POST /api/tasks/{taskId}/archive {date, archived?} → {version, status}
// Core's `archiveTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'archiveTask', params: { taskId: 'id' } });
