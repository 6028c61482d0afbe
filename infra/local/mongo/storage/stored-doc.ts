// A stored document: its BSON bytes as a latin1 string, immutable and keyed by its _id key, so readers
// and snapshots share it without copying. A one-byte string costs a 16-byte header, while a Buffer
// per document costs well over 100 bytes of heap besides its bytes (memory target ≤ 3×).
import type { Document } from 'bson';
import { decodeTyped } from './typed-values.ts';

export type StoredDoc = string;

export function toStored(bytes: Uint8Array): StoredDoc {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function storedBytes(stored: StoredDoc): Buffer {
  return Buffer.from(stored, 'latin1');
}

export function decodeBytes(bytes: Uint8Array): Document {
  return decodeTyped(bytes);
}

export function decode(stored: StoredDoc): Document {
  return decodeTyped(storedBytes(stored));
}
