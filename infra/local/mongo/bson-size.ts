// bson serializes into one internal buffer of about 17 MB. A journal record holding a transaction
// (several documents of up to 16 MB each) or a snapshot batch can be larger, so the buffer grows
// to fit such a document. The size is only computed when serializing has failed: computing it for
// every reply and record would traverse each document twice.
import { calculateObjectSize, type Document, serialize, setInternalBufferSize } from 'bson';

const DEFAULT_BUFFER_BYTES = 17 * 1024 * 1024;
let bufferBytes = DEFAULT_BUFFER_BYTES;

/** `serialize` for documents that may exceed bson's default internal buffer. */
export function serializeAnySize(doc: Document): Uint8Array {
  try {
    return serialize(doc);
  } catch (err) {
    const size = calculateObjectSize(doc);
    if (size + 1024 <= bufferBytes) throw err;
    bufferBytes = size + 1024 * 1024;
    setInternalBufferSize(bufferBytes);
    return serialize(doc);
  }
}
