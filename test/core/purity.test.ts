// core/ runs in the browser and in Lambda alike: it may import only itself and valibot.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../../core');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('core purity', () => {
  const files = sourceFiles(CORE);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((file) => [relative(CORE, file), file]))(
    '%s imports only core and valibot',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? '';
        if (specifier === 'valibot') continue;
        expect(specifier.startsWith('.'), `${specifier} is not relative`).toBe(true);
        expect(specifier.endsWith('.ts'), `${specifier} lacks the .ts extension`).toBe(true);
        const target = resolve(file, '..', specifier);
        expect(target.startsWith(`${CORE}/`), `${specifier} leaves core/`).toBe(true);
      }
    },
  );

  it('uses no Node or DOM globals', () => {
    const forbidden =
      /(?<![.\w])(process|Buffer|require|window|document|localStorage|setTimeout|setInterval)\s*[.(]/;
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(forbidden.test(code), `${relative(CORE, file)} uses a host global`).toBe(false);
    }
  });
});
