/** Configuration problems: each names where (key path, and line/column when known) and what. */
import type { z } from 'zod';

export interface ConfigProblem {
  /** Dotted key path such as `salesforce.auth.clientSecret` or `graph.recipients[1]`; '' for the whole file. */
  path: string;
  message: string;
  /** 1-based position in the YAML file, when the problem can be placed there. */
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

export const joinPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const name = String(segment);
    return text === '' ? name : `${text}.${name}`;
  }, '');

const describeInput = (input: unknown): string => {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${JSON.stringify(input)}`;
};

/**
 * Messages for the issues zod words for programmers ("expected string, received undefined").
 * Returning undefined keeps zod's own text, and any message a schema sets itself still wins.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'required';
    return `expected ${issue.expected}, got ${describeInput(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return undefined;
};

/** Turns zod issues into problems; every unknown key becomes its own problem. */
export function problemsFromIssues(args: {
  issues: readonly z.core.$ZodIssue[];
  locate: (path: readonly PathSegment[], key?: string) => { line: number; column: number } | undefined;
  /** The problem for an unknown key; `onKey` places it on the key's own path (a secret written here). */
  describeUnknownKey: (path: readonly PathSegment[], key: string) => { message: string; onKey: boolean };
}): ConfigProblem[] {
  const { issues, locate, describeUnknownKey } = args;
  return issues.flatMap((issue) => {
    const path = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const { message, onKey } = describeUnknownKey(path, key);
        return { path: joinPath(onKey ? [...path, key] : path), message, ...locate(path, key) };
      });
    }
    return [{ path: joinPath(path), message: issue.message, ...locate(path) }];
  });
}

/** One line per problem, under a heading naming the file, ready for stderr. */
export function formatProblems(problems: readonly ConfigProblem[], file?: string): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  const heading = file === undefined ? `Configuration has ${count}:` : `Configuration ${file} has ${count}:`;
  const lines = problems.map((p) => {
    const where = p.line === undefined ? '' : ` (line ${p.line}, column ${p.column ?? 1})`;
    return `  - ${p.path === '' ? '' : `${p.path}: `}${p.message}${where}`;
  });
  return [heading, ...lines].join('\n') + '\n';
}
