// The site's Content-Security-Policy. Everything is same-origin (the API is under /api/* of the same
// distribution) except the WebSocket API, which has its own execute-api host.

/** @param webSocketOrigin `wss://<api-id>.execute-api.<region>.amazonaws.com`, absent without pokes. */
export function contentSecurityPolicy(webSocketOrigin: string | undefined): string {
  const connect = ["'self'", ...(webSocketOrigin ? [webSocketOrigin] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Preact and uPlot set element styles from script; style attributes in markup stay possible.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}
