// The installable-app files: the manifest, icons and favicon are served with their own content types,
// and a missing file-like path is a 404 rather than the app's index.html.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticSite } from '../../infra/local/static-site.ts';

let webRoot: string;
let server: Server;
let url: string;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'pwa-assets-'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
  await cp(join(import.meta.dirname, '../../web/static'), webRoot, { recursive: true });
  const site = createStaticSite(webRoot);
  server = createServer((req, res) => void site(req, res, new URL(req.url ?? '/', 'http://x').pathname));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(webRoot, { recursive: true, force: true });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('installable-app files', () => {
  it('serves a complete manifest whose icons exist at their stated sizes', async () => {
    const res = await fetch(`${url}/manifest.webmanifest`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/manifest+json']);
    const manifest = (await res.json()) as Record<string, unknown> & {
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/', scope: '/', id: '/' });
    expect(
      manifest.name && manifest.short_name && manifest.theme_color && manifest.background_color,
    ).toBeTruthy();
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const file = await fetch(url + icon.src);
      expect([icon.src, file.status, file.headers.get('content-type')]).toEqual([icon.src, 200, icon.type]);
      const body = Buffer.from(await file.arrayBuffer());
      if (icon.type === 'image/png') expect(pngSize(body).join('x')).toBe(icon.sizes);
    }
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  });

  it('serves the favicon as an icon', async () => {
    const res = await fetch(`${url}/favicon.ico`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/x-icon']);
    expect(Buffer.from(await res.arrayBuffer()).readUInt16LE(2)).toBe(1);
  });

  it('answers a missing asset with 404 and an app route with index.html', async () => {
    for (const path of ['/missing.png', '/chunks/gone-ABCDEF12.js', '/apple-touch-icon-precomposed.png']) {
      const res = await fetch(url + path);
      expect([path, res.status, await res.text()]).toEqual([path, 404, 'Not Found']);
    }
    const page = await fetch(`${url}/tasks/0190a0b0-0000-7000-8000-000000000001`);
    expect([page.status, await page.text()]).toEqual([200, '<!doctype html><title>app</title>']);
  });
});
