import type { Result } from '../domain/result.js';
import { CRM_SYSTEMS } from '../domain/crm-record.js';
import { err, ok } from '../domain/result.js';
import { parseOnce } from '../core/parse-once.js';
import { crossCheck } from './cross-checks.js';
import type { ConfigProblem, PathSegment } from './problems.js';
import { configErrorMap, problemsFromIssues } from './problems.js';
import type { Config } from './schema/root.js';
import { configSchema } from './schema/root.js';
import type { LoadContext } from './secret.js';
import { readExistingFile, resolvePath } from './secret.js';
import { unknownKeyMessage } from './unknown-key.js';
import { parseYaml } from './yaml-source.js';

export const DEFAULT_CONFIG_PATH = 'config/cosell-sync.yaml';

/** `--config PATH`, else `COSELL_CONFIG`, else `config/cosell-sync.yaml`; absolute. */
export function resolveConfigPath(args: { path?: string | undefined } & LoadContext): string {
  const chosen = args.path ?? nonEmpty(args.env['COSELL_CONFIG']) ?? DEFAULT_CONFIG_PATH;
  return resolvePath(args.cwd, chosen);
}

/**
 * Reads and validates the configuration once, at start-up. On failure the error lists every
 * problem found (syntax, unknown keys, types, missing secrets and files), each with its path.
 */
export function loadConfig(args: { path?: string | undefined } & LoadContext): Result<Config, ConfigProblem[]> {
  const file = resolveConfigPath(args);
  const text = readExistingFile(file);
  if (!text.ok) return err([{ path: '', message: `cannot load the configuration: ${text.error}` }]);
  return parseConfigText({ text: text.value, env: args.env, cwd: args.cwd });
}

/** Validates configuration text (the body of `loadConfig`, usable without a file). */
export function parseConfigText(args: { text: string } & LoadContext): Result<Config, ConfigProblem[]> {
  const yaml = parseYaml(args.text);
  if (!yaml.ok) return yaml;
  // An empty file is an empty mapping: every section then takes its defaults (or is reported missing).
  const data = yaml.value.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return err([{ path: '', message: 'the file must be a mapping of sections (store, partnerCenter, ...)', line: 1, column: 1 }]);
  }
  const problems: ConfigProblem[] = [];
  const raw = data as Record<string, unknown>;
  // Checked on the raw data so it is reported together with every other problem, not after them.
  if (CRM_SYSTEMS.every((system) => (raw[system] ?? null) === null)) {
    problems.push({ path: '', message: `configure at least one CRM: a ${CRM_SYSTEMS.join(' or a ')} section` });
  }
  const schema = configSchema({ env: args.env, cwd: args.cwd });
  const parsed = parseOnce(schema, data, { error: configErrorMap });
  if (!parsed.success) {
    const describeUnknownKey = (path: readonly PathSegment[], key: string) => unknownKeyMessage(schema, path, key);
    problems.push(...problemsFromIssues({ issues: parsed.error.issues, locate: yaml.value.locate, describeUnknownKey }));
  }
  if (problems.length > 0 || !parsed.success) return err(problems);
  const crossProblems = crossCheck(parsed.data, yaml.value.locate);
  return crossProblems.length > 0 ? err(crossProblems) : ok(parsed.data);
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
