// bson serializes into one internal buffer of about 17 MB. A journal record holding a transaction
// (several documents of up to 16 MB each) or a snapshot batch can be larger, so the buffer grows
// to fit before such a document is serialized.
import { calculateObjectSize, type Document, serialize, setInternalBufferSize } from 'bson';

const DEFAULT_BUFFER_BYTES = 17 * 1024 * 1024;
let bufferBytes = DEFAULT_BUFFER_BYTES;

/** `serialize` for documents that may exceed bson's default internal buffer. */
export function serializeAnySize(doc: Document): Uint8Array {
  const size = calculateObjectSize(doc);
  if (size > bufferBytes) {
    bufferBytes = size + 1024 * 1024;
    setInternalBufferSize(bufferBytes);
  }
  return serialize(doc);
}
