// The caller's address for per-address limits. Behind CloudFront, API Gateway's sourceIp is the edge
// server's, so CloudFront's own `cloudfront-viewer-address` header ("ip:port") is preferred when the
// distribution forwards it; the stack must then not expose the execute-api endpoint directly, or a
// caller could set the header itself.
import type { HttpEvent } from '../http-handler.ts';

/** CloudFront sends "ip:port" for IPv4 and IPv6 alike (no brackets): the port is after the last colon. */
function withoutPort(address: string): string {
  const trimmed = address.trim();
  const colon = trimmed.lastIndexOf(':');
  return colon > 0 ? trimmed.slice(0, colon) : trimmed;
}

export function clientAddress(event: HttpEvent): string {
  const viewer = event.headers?.['cloudfront-viewer-address'];
  if (viewer) return withoutPort(viewer);
  return event.requestContext.http.sourceIp || 'unknown';
}
