// The site's security headers, defined once: the CloudFront response headers policy (web-hosting.ts)
// and the local static site (infra/local/static-site.ts) both render them from here. Everything is
// same-origin (the API is under /api/* of the same distribution) except the WebSocket API, which has
// its own execute-api host.

export const SECURITY_HEADER_SETTINGS = {
  hstsMaxAgeSeconds: 730 * 24 * 60 * 60,
  hstsIncludeSubdomains: true,
  frameOption: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
} as const;

export interface SecurityHeaderOptions {
  /** `wss://<api-id>.execute-api.<region>.amazonaws.com`, absent without pokes or when same-origin. */
  webSocketOrigin: string | undefined;
  /**
   * False for a plain-HTTP origin (the local gateway): browsers ignore HSTS there, and
   * `upgrade-insecure-requests` would send the page's own same-origin requests to https.
   */
  https: boolean;
}

export function contentSecurityPolicy(webSocketOrigin: string | undefined, https = true): string {
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
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The headers as a server sends them (lower-case names), the same values CloudFront adds. */
export function securityHeaders({ webSocketOrigin, https }: SecurityHeaderOptions): Record<string, string> {
  const s = SECURITY_HEADER_SETTINGS;
  return {
    'content-security-policy': contentSecurityPolicy(webSocketOrigin, https),
    ...(https
      ? {
          'strict-transport-security': `max-age=${s.hstsMaxAgeSeconds}${s.hstsIncludeSubdomains ? '; includeSubDomains' : ''}`,
        }
      : {}),
    'x-content-type-options': 'nosniff',
    'x-frame-options': s.frameOption,
    'referrer-policy': s.referrerPolicy,
  };
}
