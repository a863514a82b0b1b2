/** Separated text <-> a list of solutions (`SOL-15974-MQF;SOL-6115380-IPC`). */
import type { CanonicalValue } from '../types.js';
import { problem, scalarTransform, type Transform } from './transform.js';

export function solutionListTransform(args: { crm: string; separator: string }): Transform {
  const { separator } = args;
  const inner = scalarTransform({
    name: 'list',
    crm: args.crm,
    describe: `'${separator}'-separated ids <-> solutions`,
    accepts: (t) => t.kind === 'solutions',
    toCanonical: (v) =>
      typeof v === 'string'
        ? v
            .split(separator)
            .map((id) => id.trim())
            .filter((id) => id !== '')
            .map((id): CanonicalValue => ({ id, name: null, type: null }))
        : problem(`not '${separator}'-separated text: ${JSON.stringify(v)}`),
    toCrm: (v) => {
      if (!Array.isArray(v)) return problem(`not a list: ${JSON.stringify(v)}`);
      const ids = v.map((s) => (typeof s === 'object' && s !== null && !Array.isArray(s) ? s['id'] : s));
      if (!ids.every((id): id is string => typeof id === 'string')) return problem(`a solution without an id: ${JSON.stringify(v)}`);
      // An empty list clears the field rather than writing an empty string.
      return ids.length === 0 ? null : ids.join(separator);
    },
  });
  return {
    ...inner,
    fromCrm(read, env) {
      const out = inner.fromCrm(read, env);
      // An empty CRM field is an empty list: a referral's solutions are never null.
      return out.kind === 'value' && out.value === null ? { kind: 'value', value: [] } : out;
    },
  };
}
