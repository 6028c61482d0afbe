// PUT /api/weights/{date} {value, unit} → {version, status}
// Core's `logWeight` through the sync write path; metadata in headers (see mutation-endpoint.ts).
import { defineMutationHandler } from '../lib/sync/mutation-endpoint.ts';

export const handler = defineMutationHandler({ name: 'logWeight', params: { date: 'date' } });
