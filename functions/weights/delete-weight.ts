// DELETE /api/weights/{date} (no body) → {version, status}
// Core's `deleteWeight` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({
  name: 'deleteWeight',
  params: { date: 'date' },
  hasBody: false,
});
