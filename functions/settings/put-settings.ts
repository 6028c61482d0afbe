// PUT /api/settings {unit?, weekStart?, timeZone?} → {version, status}
// Core's `updateSettings` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'updateSettings' });
