/** Human text of a rule, for previews and `describeRule`. */
import type { CompiledRule } from './compile-rule.js';

export function describeCompiledRule(rule: CompiledRule): string {
  const parts = [rule.transform.describe()];
  if (rule.orFrom.length > 0) parts.push(`else ${rule.orFrom.join(', ')}`);
  if (rule.maxLength !== null) parts.push(`max ${rule.maxLength} chars to CRM`);
  if (rule.defaultValue !== undefined) parts.push(`default ${JSON.stringify(rule.defaultValue)}`);
  if (rule.required) parts.push(rule.required === 'coSell' ? 'required for co-sell' : 'required');
  return parts.join('; ');
}
