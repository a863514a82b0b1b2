/**
 * Document paths to line and column, through the YAML node ranges `parseDocument` keeps
 * when given a LineCounter. A path that stops early (a missing key) points at the deepest
 * node that exists, which is where the admin has to add it.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { DocPath } from './transforms/parse-transform.js';

export interface Position {
  line: number;
  column: number;
}

export function formatDocPath(path: DocPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

export function locate(args: { doc: Document; lineCounter: LineCounter; path: DocPath; key?: boolean }): Position {
  let node: unknown = args.doc.contents;
  let found: Node | null = isMap(node) || isSeq(node) || isScalar(node) ? node : null;
  for (const [i, seg] of args.path.entries()) {
    const last = i === args.path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = isScalar(pair.key) ? pair.key : null;
      const valueNode = pair.value as Node | null;
      const useKey = (last && args.key) || !valueNode?.range;
      found = (useKey ? keyNode : valueNode) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      found = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = found?.range?.[0] ?? 0;
  const { line, col } = args.lineCounter.linePos(offset);
  return { line, column: col };
}
