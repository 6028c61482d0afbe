// Renders web/static/icon.svg into the PNG icons and favicon.ico the manifest and index.html name,
// with the project's Chromium. The outputs are committed; run again after changing the SVG:
//   npx tsx web/generate-icons.ts
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/e2e/harness.ts';

const staticDir = join(dirname(fileURLToPath(import.meta.url)), 'static');

/** The maskable icon keeps its mark inside the central 80% safe zone, on a full-bleed background. */
function maskable(svg: string): string {
  const inner = svg.replace(/<rect[^>]*\/>/, '').replace(/<\/?svg[^>]*>/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#0f766e"/><g transform="translate(76.8 76.8) scale(0.7)">${inner}</g></svg>`;
}

/** An ICO holding one PNG image (allowed since Windows Vista; every current browser reads it). */
function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(1, 4);
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(png.length, 16);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, png]);
}

const svg = await readFile(join(staticDir, 'icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const render = async (source: string, size: number) => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}</style><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}">`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    return page.screenshot({ omitBackground: true });
  };
  await writeFile(join(staticDir, 'icon-192.png'), await render(svg, 192));
  await writeFile(join(staticDir, 'icon-512.png'), await render(svg, 512));
  await writeFile(join(staticDir, 'icon-maskable-512.png'), await render(maskable(svg), 512));
  await writeFile(join(staticDir, 'favicon.ico'), icoOf(await render(svg, 32), 32));
} finally {
  await browser.close();
}
