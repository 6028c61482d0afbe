// No two source files import each other, directly or around a longer circle, type-only imports
// included: a circle ties modules together so neither can be read, tested or moved alone, and at run
// time it hands one of them a half-initialised module. Layers are ordered instead (docs/architecture.md).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['core', 'functions', 'infra', 'web/src', 'bench', 'test'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// `import … from`, `import type … from`, `export … from`, `import '…'` and `import('…')`. The
// TypeScript this repository builds with (7, native) has no compiler API to parse imports with, and the
// graph tools (madge, dpdm, dependency-cruiser) need that API, so a pattern reads them.
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Each file's relative imports, resolved to files of `sources`. */
function importGraph(sources: Map<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const targets = [...code.matchAll(IMPORT)]
      .map((match) => match[1] ?? match[2] ?? match[3] ?? '')
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(dirname(file), specifier))
      .filter((target) => sources.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function importCycles(sources: Map<string, string>): string[][] {
  const graph = importGraph(sources);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, order.size);
    low.set(file, order.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) visit(next);
      if (onStack.has(next)) low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
    }
    if (low.get(file) !== order.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

describe('import cycles', () => {
  it('finds a circle through a type-only import, and a longer one', () => {
    const sources = new Map([
      ['/x/a.ts', "import type { B } from './b.ts';\nexport const a = 1;"],
      ['/x/b.ts', "import { a } from './a.ts';\nexport type B = typeof a;"],
      ['/x/c.ts', "export { d } from './d.ts';"],
      ['/x/d.ts', "export const d = () => import('./e.ts');"],
      ['/x/e.ts', "import { d } from './c.ts';\nimport { a } from './a.ts';"],
      ['/x/f.ts', "import { a } from './a.ts';\n// import { g } from './g.ts';"],
      ['/x/g.ts', "import './f.ts';"],
    ]);
    expect(importCycles(sources)).toEqual([
      ['/x/a.ts', '/x/b.ts'],
      ['/x/c.ts', '/x/d.ts', '/x/e.ts'],
    ]);
  });

  it('finds none in the sources', () => {
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(300);
    const sources = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
    const cycles = importCycles(sources).map((cycle) => cycle.map((file) => relative(ROOT, file)));
    expect(cycles).toEqual([]);
  });
});
