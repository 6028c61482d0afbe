// What `web/build.ts` writes: index.html asks for the whole first screen at once (the entry's static
// imports as modulepreload, never a lazy chunk), and the service worker precaches the static files.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';

let outDir: string;
let html: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'build-output-'));
  await buildWeb({ outDir });
  html = await readFile(join(outDir, 'index.html'), 'utf8');
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** `import … from "./x.js"` and `import "./x.js"` of a module, resolved; not `import("./x.js")`. */
async function staticImportsOf(file: string): Promise<string[]> {
  const code = await readFile(join(outDir, file), 'utf8');
  return [...code.matchAll(/import(?:[^(;"']*?from)?\s*["']([^"']+\.js)["']/g)].map((m) =>
    posix.join(posix.dirname(file), m[1] ?? ''),
  );
}

describe('the built site', () => {
  it('preloads every module of the first screen, and no lazy chunk', async () => {
    const entry = /<script type="module" src="\/([^"]+)"/.exec(html)?.[1] ?? '';
    const firstScreen = new Set<string>();
    const queue = await staticImportsOf(entry);
    while (queue.length > 0) {
      const file = queue.pop() ?? '';
      if (firstScreen.has(file)) continue;
      firstScreen.add(file);
      queue.push(...(await staticImportsOf(file)));
    }
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/([^"]+)">/g)].map((m) => m[1]);
    expect(firstScreen.size).toBeGreaterThan(0);
    expect(preloaded.sort()).toEqual([...firstScreen].sort());
  });

  it('names no SVG icon in index.html or the manifest, only raster ones', async () => {
    // Chromium draws an SVG icon as a document of its own on the page's main thread while the app
    // starts (one for the favicon, one for the manifest's icon): tens of ms of Lighthouse's blocking time.
    const icons = [...html.matchAll(/<link rel="(?:icon|apple-touch-icon)"[^>]*href="([^"]+)"/g)].map(
      (m) => m[1],
    );
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.webmanifest'), 'utf8')) as {
      icons: { src: string; type: string }[];
    };
    expect(icons).toContain('/favicon.ico');
    for (const src of [...icons, ...manifest.icons.map((i) => i.src)]) expect(src).toMatch(/\.(png|ico)$/);
    expect(manifest.icons.map((i) => i.type)).not.toContain('image/svg+xml');
  });

  it('precaches the manifest, icons and favicon in the service worker', async () => {
    const sw = await readFile(join(outDir, 'sw.js'), 'utf8');
    for (const name of [
      '/manifest.webmanifest',
      '/favicon.ico',
      '/icon.svg',
      '/icon-192.png',
      '/icon-512.png',
    ]) {
      expect(sw).toContain(`"${name}"`);
    }
  });
});
