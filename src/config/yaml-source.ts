import type { Node } from 'yaml';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

import type { Result } from '../domain/result.js';
import { err, ok } from '../domain/result.js';
import type { ConfigProblem, PathSegment } from './problems.js';

export interface YamlSource {
  data: unknown;
  /** Line/column of the node at `path` (or of `key` inside the mapping at `path`), else of its nearest parent. */
  locate: (path: readonly PathSegment[], key?: string) => { line: number; column: number } | undefined;
}

/** Parses YAML text, keeping node positions so later problems can point into the file. */
export function parseYaml(text: string): Result<YamlSource, ConfigProblem[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => ({ path: '', message: `YAML: ${firstLine(e.message)}`, ...position(e.pos[0]) })));
  }
  const locate = (path: readonly PathSegment[], key?: string): { line: number; column: number } | undefined => {
    for (let length = path.length; length >= 0; length -= 1) {
      const node = doc.getIn(path.slice(0, length), true) as Node | undefined;
      if (node?.range === undefined || node.range === null) continue;
      if (key !== undefined && length === path.length && isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) return position(keyNode.range[0]);
      }
      return position(node.range[0]);
    }
    return doc.contents?.range ? position(doc.contents.range[0]) : undefined;
  };
  return ok({ data: doc.toJS() as unknown, locate });
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;
