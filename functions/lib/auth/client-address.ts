// The caller's address, for per-address limits. Behind CloudFront, API Gateway's sourceIp is the edge
// server's, so it would lump every viewer of one edge together. CloudFront appends the viewer's
// address to X-Forwarded-For and API Gateway then appends the edge's (= sourceIp):
//
//   x-forwarded-for: [anything the client sent, …,] <viewer as CloudFront saw it>, <sourceIp>
//
// so the hop just before sourceIp is the viewer. Entries further left are the client's own and are
// ignored. That hop is trusted only on a request that carried CloudFront's origin secret
// (../origin-verify.ts): a caller reaching execute-api directly can write any X-Forwarded-For it
// likes, and locally (no CloudFront, the check off) the connection's own address is the caller.
import type { HttpEvent } from '../http-handler.ts';
import { isVerifiedOrigin } from '../origin-verify.ts';

export function clientAddress(event: HttpEvent): string {
  const source = event.requestContext.http.sourceIp || 'unknown';
  if (!isVerifiedOrigin(event)) return source;
  const hops = (event.headers?.['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const viewer = hops.length >= 2 && hops.at(-1) === source ? hops.at(-2) : undefined;
  return viewer ?? source;
}
