/** zod issues in words an admin reads: one problem per unknown key, "missing key" for absent ones. */
import type { DocPath, LocalProblem } from './transforms/parse-transform.js';

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function valueAt(root: unknown, path: DocPath): unknown {
  let node = root;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** `input` is what was parsed, to tell a missing key from a wrong value; `base` prefixes paths. */
export function fromZodIssues(args: { issues: readonly Issue[]; input: unknown; base?: DocPath }): LocalProblem[] {
  const base = args.base ?? [];
  return args.issues.flatMap((issue): LocalProblem[] => {
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({ at: [...base, ...at, k], message: `unknown key '${k}'`, key: true }));
    }
    if (issue.code === 'invalid_type' && at.length > 0 && valueAt(args.input, at) === undefined) {
      return [{ at: [...base, ...at.slice(0, -1)], message: `missing key '${String(at[at.length - 1])}'` }];
    }
    return [{ at: [...base, ...at], message: issue.message }];
  });
}
