// POST /api/tasks {id, title, points, weekdays, schedule?, createdOn, order} → {version, status}
// Core's `createTask` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'createTask' });
