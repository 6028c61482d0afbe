// PATCH /api/tasks/{taskId} {title?, points?, weekdays?, schedule?} → {version, status}
// Core's `editTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'editTask', params: { taskId: 'id' } });
