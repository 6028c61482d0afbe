// What one request committed, as the after-commit hook and the fan-out see it.
import type { SyncedCollection } from './collections.ts';

export interface CommittedWrite {
  userId: string;
  version: number;
  sourceDeviceId: string;
  collections: SyncedCollection[];
}
