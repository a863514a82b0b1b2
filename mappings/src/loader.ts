/**
 * Reading a mapping file: YAML syntax, then shape (zod), then meaning (compile), every problem
 * reported with file, line and column so an admin can fix them all in one pass.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, visit } from 'yaml';
import { err, ok, type Result } from '../../src/domain/result.js';
import { parseOnce } from '../../src/core/parse-once.js';
import { compileMapping } from './compile.js';
import { fileSchema } from './file-schema.js';
import { inboundKind } from './inbound.js';
import { loadCountryNames } from './transforms/countries.js';
import { buildObjectMapping } from './object-mapping.js';
import { formatDocPath, locate } from './positions.js';
import { fromZodIssues } from './zod-issues.js';
import type { LocalProblem } from './transforms/parse-transform.js';
import type { Mapping, MappingProblem } from './types.js';

/**
 * Parses mapping text. Every problem (YAML syntax, shape, meaning) comes back at once with its
 * line and column; `file` only labels them.
 */
export function parseMapping(args: { text: string; file: string }): Result<Mapping, MappingProblem[]> {
  const { file } = args;
  const lineCounter = new LineCounter();
  // `merge`: admins may share a block (a contact's field map) with an anchor and `<<: *name`.
  const doc = parseDocument(args.text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    return err(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { file, line, column: col, path: '', message: e.message };
      }),
    );
  }
  const aliases: MappingProblem[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return;
      const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
      aliases.push({ file, line, column: col, path: '', message: `*${node.source} names no anchor (&${node.source}) above it` });
    },
  });
  if (aliases.length > 0) return err(aliases);
  let js: unknown;
  try {
    js = doc.toJS();
  } catch (e) {
    // yaml refuses documents that expand aliases without bound ("billion laughs").
    return err([{ file, line: 1, column: 1, path: '', message: typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : 'unreadable YAML' }]);
  }
  const positionOf = (p: LocalProblem): { line: number; column: number; path: string } => ({
    ...locate({ doc, lineCounter, path: p.at, key: p.key ?? false }),
    path: formatDocPath(p.at),
  });
  const toProblems = (local: LocalProblem[]): MappingProblem[] =>
    local.map((p) => ({ file, ...positionOf(p), message: p.message })).sort((a, b) => a.line - b.line || a.column - b.column);
  const parsed = parseOnce(fileSchema, js);
  if (!parsed.success) return err(toProblems(fromZodIssues({ issues: parsed.error.issues, input: js })));
  const { compiled, problems } = compileMapping(parsed.data);
  if (problems.length > 0) return err(toProblems(problems));
  return ok({
    file,
    system: compiled.system,
    opportunity: buildObjectMapping(compiled.opportunity, positionOf),
    lead: buildObjectMapping(compiled.lead, positionOf),
    inboundKind: (referral) => inboundKind(compiled.inbound, referral),
    prepare: () => {
      if ([compiled.opportunity, compiled.lead].some((o) => o.rules.some((r) => r.transform.name === 'country'))) loadCountryNames();
    },
    health: parsed.data.health,
  });
}

/** Reads and parses a mapping file; an unreadable file is one problem at line 0. */
export function loadMappingFile(path: string): Result<Mapping, MappingProblem[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    // Not `instanceof Error`: errors from another realm (a test VM) fail that check.
    const reason = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'unreadable';
    return err([{ file: path, line: 0, column: 0, path: '', message: `cannot read the mapping file (${reason})` }]);
  }
  return parseMapping({ text, file: path });
}
