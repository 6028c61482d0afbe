// Real HTTP to the local gateway from a chosen loopback address (127.0.0.2, 127.0.0.3, …: all of
// 127/8 reaches a server on 127.0.0.1), so that the gateway's `sourceIp`, and with it every
// per-address limit, sees distinct clients.
import { request } from 'node:http';
import type { HttpRoute } from '../../../infra/routes.ts';
import { fillPath, type RouteRequest, type RouteResponse } from './route-caller.ts';

export function loopbackCaller(baseUrl: string, localAddress: string) {
  return (route: HttpRoute, req: RouteRequest = {}): Promise<RouteResponse> => {
    const url = new URL(fillPath(route.path, req.pathParameters), baseUrl);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(req.cookies?.length ? { cookie: req.cookies.join('; ') } : {}),
      ...req.headers,
    };
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method: route.method, headers, localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text || undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          const flat = Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
          );
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, headers: flat, body: parsed, text, setCookies: setCookie });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}
