// The gate in front of the local AWS APIs (Lambda Invoke, WebSocket Management). They listen on a
// loopback port that every web page the developer opens can also reach, so they admit only what an
// AWS SDK sends:
//
//   Host not an address this gateway serves ─► 421  (a DNS-rebinding page names its own host)
//   Origin header, or Sec-Fetch-Site ≠ none  ─► 403  (a page's fetch/form; SDKs send neither)
//   no valid SigV4 by the local credentials  ─► 403  (MissingAuthenticationToken, InvalidSignature, …)
//
// Every refusal is a JSON body with `x-amzn-errortype`, as AWS answers.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type LocalCredentials,
  SIGNATURE_ERRORS,
  type SignatureErrorCode,
  verifySignature,
} from './sigv4.ts';

export interface Refusal {
  status: 403 | 421;
  errorType: string;
  message: string;
}

export interface LocalApiGuard {
  readonly credentials: LocalCredentials;
  /** The checks that need no body; run them before reading one. */
  admit(req: IncomingMessage): Refusal | null;
  verify(req: IncomingMessage, body: Buffer, service: string): Promise<Refusal | null>;
}

export interface LocalApiGuardOptions {
  credentials: LocalCredentials;
  /** `host:port` values this gateway answers to, lower-case. */
  servedHosts: () => ReadonlySet<string>;
  now?: () => number;
}

export function servedHostsOf(port: number, boundHost: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (boundHost !== '0.0.0.0' && boundHost !== '::')
    names.add(boundHost.includes(':') ? `[${boundHost}]` : boundHost);
  return new Set([...names].map((name) => `${name.toLowerCase()}:${port}`));
}

const SIGNATURE_ERROR_TYPE: Record<SignatureErrorCode, string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationTokenException',
  IncompleteSignatureException: 'IncompleteSignatureException',
  UnrecognizedClientException: 'UnrecognizedClientException',
  InvalidSignatureException: 'InvalidSignatureException',
  SignatureExpired: 'InvalidSignatureException',
};

export function createLocalApiGuard({ credentials, servedHosts, now }: LocalApiGuardOptions): LocalApiGuard {
  return {
    credentials,
    admit(req) {
      const host = req.headers.host?.toLowerCase();
      if (!host || !servedHosts().has(host)) {
        return {
          status: 421,
          errorType: 'MisdirectedRequestException',
          message: `This gateway does not serve host ${JSON.stringify(req.headers.host ?? '')}`,
        };
      }
      const site = req.headers['sec-fetch-site'];
      if (req.headers.origin !== undefined || (site !== undefined && site !== 'none')) {
        return {
          status: 403,
          errorType: 'AccessDeniedException',
          message: 'The local AWS APIs do not accept requests from web pages',
        };
      }
      return null;
    },
    async verify(req, body, service) {
      const code = await verifySignature(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct, body },
        { credentials, service, ...(now ? { now } : {}) },
      );
      if (!code) return null;
      return { status: 403, errorType: SIGNATURE_ERROR_TYPE[code], message: SIGNATURE_ERRORS[code] };
    },
  };
}

export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ message: refusal.message });
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': refusal.errorType,
    connection: 'close',
  });
  res.end(body);
}
