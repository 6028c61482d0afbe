// Reads a request body up to a limit. An oversized body is still drained (up to a hard cap) so the
// client sees the 413 instead of a reset connection while it is still sending.
import type { IncomingMessage } from 'node:http';

const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' };

export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_CAP_BYTES) {
        req.destroy();
        resolve({ ok: false, reason: 'too-large' });
      } else if (size <= limitBytes) {
        chunks.push(chunk);
      }
    });
    req.on('end', () =>
      resolve(
        size > limitBytes ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks) },
      ),
    );
    req.on('error', reject);
  });
}
