// What one request committed, as the after-commit hook and the fan-out see it.
import type { StreamedChanges } from '../../../core/schemas.ts';
import type { SyncedCollection } from './collections.ts';

export interface CommittedWrite {
  userId: string;
  version: number;
  sourceDeviceId: string;
  collections: SyncedCollection[];
  /** The records, when one version holds the whole write and they fit a poke. */
  stream?: StreamedChanges;
}
