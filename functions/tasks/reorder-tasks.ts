// POST /api/tasks/reorder {ids} → {version, status}
// Core's `reorderTasks` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'reorderTasks' });
