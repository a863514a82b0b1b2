/**
 * The folders are layers: imports go one way. This test reads the relative imports of every .ts
 * file (a regular expression over the source, type-only imports included) and fails, naming the
 * files, on an import cycle among the files of src/, connectors/ and mappings/, on a cycle
 * between two folders of them (src/app and src/cli count as two), and on an import in a
 * forbidden direction: mappings into connectors, src/logging into connectors, bench into test.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const LAYERED_DIRS = ['src', 'connectors', 'mappings'];

/** Imports nobody may add: `from` (a folder) may not import anything under `to`. */
const FORBIDDEN: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: 'mappings/', to: 'connectors/', why: 'mappings share shapes with connectors through src/domain' },
  { from: 'src/logging/', to: 'connectors/', why: 'logging knows no connector' },
  { from: 'bench/', to: 'test/', why: 'benchmarks share helpers with the tests through harness/ or sandbox/' },
];

const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) tsFiles(path, out);
    else if (/\.(ts|mts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The repository-relative files `file` imports (relative specifiers only; packages are not layers). */
export function importsOf(file: string, source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (specifier === undefined) continue;
    let target = resolve(dirname(file), specifier).replace(/\.(m?)js$/, '.$1ts');
    if (!/\.m?ts$/.test(target)) target = existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts');
    found.add(relative(ROOT, target));
  }
  return [...found];
}

function graphOf(dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of dirs) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const file of tsFiles(join(ROOT, dir))) graph.set(relative(ROOT, file), importsOf(file, readFileSync(file, 'utf8')));
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan), each as a list of nodes. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let popped: string | undefined;
      do {
        popped = stack.pop()!;
        onStack.delete(popped);
        component.push(popped);
      } while (popped !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** `src/app/x.ts` -> `src/app`; `connectors/salesforce/x.ts` -> `connectors`. */
const folderOf = (file: string): string => {
  const parts = file.split('/');
  return parts[0] === 'src' ? parts.slice(0, 2).join('/') : parts[0]!;
};

describe('layers', () => {
  const graph = graphOf(LAYERED_DIRS);

  it('reads imports as written: named, type-only, re-exports, multi-line and dynamic', () => {
    const file = join(ROOT, 'src/app/example.ts');
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../engine/b.js';",
      "export { c } from './c.js';",
      'import {\n  d,\n  e,\n} from "../../connectors/d.js";',
      "const f = await import('./f.js');",
      "import 'pino';",
    ].join('\n');
    expect(importsOf(file, source).sort()).toEqual(['connectors/d.ts', 'src/app/a.ts', 'src/app/c.ts', 'src/app/f.ts', 'src/engine/b.ts']);
  });

  it('finds a cycle when there is one', () => {
    const cycles = cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]));
    expect(cycles).toEqual([['a', 'b', 'c']]);
  });

  it('has source files to check', () => {
    expect(graph.size).toBeGreaterThan(100);
  });

  it('has no import cycle among the files of src/, connectors/ and mappings/', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('has no import cycle between folders (src/app, src/cli, connectors, mappings, …)', () => {
    const folders = new Map<string, Set<string>>();
    const via = new Map<string, string>();
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      if (!folders.has(from)) folders.set(from, new Set());
      for (const target of imports) {
        const to = folderOf(target);
        if (to === from || !LAYERED_DIRS.includes(target.split('/')[0]!)) continue;
        folders.get(from)!.add(to);
        if (!via.has(`${from} -> ${to}`)) via.set(`${from} -> ${to}`, `${file} -> ${target}`);
      }
    }
    const cycles = cyclesOf(new Map([...folders].map(([from, to]) => [from, [...to]])));
    const explained = cycles.map((cycle) => ({
      folders: cycle,
      imports: [...via].filter(([edge]) => cycle.some((a) => cycle.some((b) => edge === `${a} -> ${b}`))).map(([, example]) => example),
    }));
    expect(explained).toEqual([]);
  });

  it('has no import in a forbidden direction', () => {
    const all = new Map([...graph, ...graphOf(['bench'])]);
    const wrong = [...all].flatMap(([file, imports]) =>
      FORBIDDEN.filter((rule) => file.startsWith(rule.from)).flatMap((rule) =>
        imports.filter((target) => target.startsWith(rule.to)).map((target) => `${file} -> ${target} (${rule.why})`),
      ),
    );
    expect(wrong).toEqual([]);
  });
});
