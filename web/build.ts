// Bundles the web app into web/dist: hashed, minified ES modules with source maps, plus an
// index.html that references the hashed files. The local gateway serves the folder and the cloud
// stack uploads it, so both always ship exactly what this produces.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));

export interface BuildWebOptions {
  outDir?: string;
  minify?: boolean;
}

export async function buildWeb(opts: BuildWebOptions = {}): Promise<void> {
  const outDir = resolve(opts.outDir ?? join(webDir, 'dist'));
  const minify = opts.minify ?? true;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(webDir, 'src', 'main.tsx')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify,
    sourcemap: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
    logLevel: 'warning',
  });
  const { js, css } = entryOutputs(result.metafile, outDir);
  const preload = staticImports(result.metafile, js, outDir);
  await writeFile(join(outDir, 'index.html'), indexHtml(js, css, preload));
  // Manifest, icons and favicon keep fixed, unhashed names: browsers and the manifest ask for them so.
  await cp(join(webDir, 'static'), outDir, { recursive: true });
  await buildServiceWorker(outDir, result.metafile, minify);
}

/**
 * sw.js at the root (its scope is the whole site), precaching every file of this build and the static
 * files (manifest, icons, favicon), so the installed app started offline has its icons too. Those keep
 * their names across builds, so the cache's name follows their content as well as the bundles' names.
 */
async function buildServiceWorker(
  outDir: string,
  metafile: esbuild.Metafile,
  minify: boolean,
): Promise<void> {
  const bundles = Object.keys(metafile.outputs)
    .map((file) => relative(outDir, resolve(file)).split('\\').join('/'))
    .filter((name) => !name.endsWith('.map'));
  const statics = (await readdir(join(webDir, 'static'))).sort();
  const hash = createHash('sha256').update(bundles.join('\n'));
  for (const name of statics) hash.update(name).update(await readFile(join(webDir, 'static', name)));
  const shell = [...bundles, ...statics].map((name) => `/${name}`);
  const buildId = hash.digest('hex').slice(0, 12);
  await esbuild.build({
    entryPoints: [join(webDir, 'src', 'sw.ts')],
    outfile: join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: true,
    define: { __APP_SHELL__: JSON.stringify(shell), __BUILD_ID__: JSON.stringify(buildId) },
    logLevel: 'warning',
  });
}

function entryOutputs(metafile: esbuild.Metafile, outDir: string): { js: string; css: string[] } {
  let js = '';
  const css: string[] = [];
  for (const [file, output] of Object.entries(metafile.outputs)) {
    // Dynamic imports (uPlot) are entry points of their own; only the app's entry goes in the page.
    if (!output.entryPoint?.endsWith('src/main.tsx')) continue;
    const name = relative(outDir, resolve(file)).split('\\').join('/');
    if (name.endsWith('.js')) js = name;
    if (output.cssBundle) css.push(relative(outDir, resolve(output.cssBundle)).split('\\').join('/'));
  }
  if (!js) throw new Error('esbuild produced no entry bundle for web/src/main.tsx');
  return { js, css };
}

/**
 * The chunks the entry imports statically, transitively: the browser would find them only once the
 * entry has arrived and been parsed, one round trip later each; modulepreload asks for them at once.
 */
function staticImports(metafile: esbuild.Metafile, entry: string, outDir: string): string[] {
  const toName = (file: string) => relative(outDir, resolve(file)).split('\\').join('/');
  const byName = new Map(Object.entries(metafile.outputs).map(([file, output]) => [toName(file), output]));
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const output = byName.get(queue.pop() ?? '');
    for (const imported of output?.imports ?? []) {
      const name = toName(imported.path);
      if (imported.kind !== 'import-statement' || imported.external || seen.has(name)) continue;
      seen.add(name);
      queue.push(name);
    }
  }
  return [...seen].sort();
}

function indexHtml(js: string, css: string[], preload: string[]): string {
  const links = [
    ...css.map((href) => `<link rel="stylesheet" href="/${href}">`),
    ...preload.map((href) => `<link rel="modulepreload" href="/${href}">`),
  ].join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <meta name="theme-color" content="#0f766e">
    <meta name="description" content="Track daily habits and weight, offline first, synced across your devices.">
    <title>Routine Sync</title>
    <link rel="manifest" href="/manifest.webmanifest">
    <link rel="icon" href="/favicon.ico" sizes="32x32">
    <link rel="apple-touch-icon" href="/icon-192.png">
    ${links}
    <script type="module" src="/${js}"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>Routine Sync needs JavaScript.</noscript>
  </body>
</html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = Date.now();
  await buildWeb();
  console.log(`[build] ${basename(webDir)}/dist written in ${Date.now() - started} ms`);
}
