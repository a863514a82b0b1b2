/**
 * Reads the operator guides in `docs/` the way a test checks them: the `cosell-sync` commands
 * they show, the configuration keys, environment variables and metric names they name, and the
 * YAML they ask admins to write. Only code (inline spans and fenced blocks) counts: prose may say
 * anything, what an operator copies must exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GUIDES = ['setup-partner-center.md', 'setup-salesforce.md', 'setup-dynamics.md', 'operations.md'] as const;

export interface Guide {
  name: string;
  text: string;
}

export const readGuide = (root: string, name: string): Guide => ({ name, text: readFileSync(join(root, 'docs', name), 'utf8') });

export interface CodeBlock {
  lang: string;
  body: string;
}

/** Fenced blocks, with their language tag (`sh`, `yaml`, `ini`, or empty). */
export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const fence = /^[ \t]*```([\w-]*)[ \t]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm;
  for (const match of text.matchAll(fence)) blocks.push({ lang: match[1] ?? '', body: dedent(match[2] ?? '') });
  return blocks;
}

/** A block inside a list item is indented as a whole: take that indentation off. */
function dedent(body: string): string {
  const indents = body.split('\n').filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return body.split('\n').map((l) => l.slice(common)).join('\n');
}

/** Inline code spans outside fenced blocks. */
export function codeSpans(text: string): string[] {
  const prose = text.replace(/^[ \t]*```[\s\S]*?^[ \t]*```[ \t]*$/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
}

/** Every piece of code in a guide: each span, and each logical line of each block (`\` continued). */
function codeLines(text: string): string[] {
  const lines = codeBlocks(text).flatMap((b) => b.body.replace(/\\\n\s*/g, ' ').split('\n'));
  return [...codeSpans(text), ...lines];
}

/** Splits a shell command line into words, honouring quotes; stops at a pipe, `&&`, `;`, a comment or a redirect. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const bare = match[3];
    if (bare !== undefined && (/^(\||&&|;|#|>|2>|\))/.test(bare))) break;
    words.push(match[1] ?? match[2] ?? bare ?? '');
  }
  return words;
}

/**
 * The argument lists of every `cosell-sync …` command the guide shows: after `cosell-sync` (also
 * `npx cosell-sync` and an image tag `cosell-sync:1.2.3`) or after the container's
 * `dist/cli/cosell-sync.js` (under any directory). Words such as `/var/lib/cosell-sync` or `-t cosell-sync .` are paths and
 * image names, not commands: a command starts with a lower-case word.
 */
export function commandsIn(text: string): { line: string; argv: string[] }[] {
  const found: { line: string; argv: string[] }[] = [];
  const start = /(?:^|[\s(])(?:cosell-sync(?::[\w.-]+)?|\S*dist\/cli\/cosell-sync\.js)\s+(?=[a-z])/g;
  for (const line of codeLines(text)) {
    for (const match of line.matchAll(start)) {
      const argv = shellWords(line.slice((match.index ?? 0) + match[0].length));
      if (argv.length > 0) found.push({ line: line.trim(), argv });
    }
  }
  return found;
}

/** Configuration key paths named in code spans (`sync.schedule.inbound`): dotted, under one of `sections`. */
export function configKeysIn(text: string, sections: readonly string[]): string[] {
  const path = new RegExp(`^(?:${sections.join('|')})(?:\\.[A-Za-z][A-Za-z0-9]*)+$`);
  return codeSpans(text).filter((span) => path.test(span));
}

/** Key paths of every YAML block, as arrays of keys (list items add no key). */
export function yamlKeyPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((item) => yamlKeyPaths(item, prefix));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [[...prefix, key], ...yamlKeyPaths(inner, [...prefix, key])]);
}

/** Environment variable names in code: upper-case words with at least one underscore. */
export function envNamesIn(text: string): string[] {
  return [...new Set(codeLines(text).flatMap((line) => [...line.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0])))];
}

/** The text of the section under the `## ` heading `title`, up to the next `## ` heading. */
export function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}"`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}
