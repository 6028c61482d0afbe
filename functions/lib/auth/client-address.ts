// The caller's address, for per-address limits. Behind CloudFront, API Gateway's sourceIp is the edge
// server's, so it would lump every viewer of one edge together. CloudFront appends the viewer's
// address to X-Forwarded-For and API Gateway then appends the edge's (= sourceIp):
//
//   x-forwarded-for: [anything the client sent, …,] <viewer as CloudFront saw it>, <sourceIp>
//
// so the hop just before sourceIp is the viewer. Entries further left are the client's own and are
// ignored. A caller reaching the execute-api endpoint directly can still forge that hop, which is
// why the stack should serve the API only through CloudFront.
import type { HttpEvent } from '../http-handler.ts';

export function clientAddress(event: HttpEvent): string {
  const source = event.requestContext.http.sourceIp || 'unknown';
  const hops = (event.headers?.['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const viewer = hops.length >= 2 && hops.at(-1) === source ? hops.at(-2) : undefined;
  return viewer ?? source;
}
