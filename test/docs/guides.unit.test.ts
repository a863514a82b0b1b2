/**
 * The operator guides cannot drift from the product: every `cosell-sync` command they show parses
 * in the CLI program, every configuration key they name or put in a YAML example exists in the
 * configuration schema, every environment variable is one the product reads, every metric is
 * registered (and every sync metric is described), and the exit codes are the CLI's.
 */
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { createLeaseMetrics } from '../../src/app/lease-metrics.js';
import type { CliContext } from '../../src/cli/context.js';
import { EXIT_CONFIG_INVALID, EXIT_FATAL, EXIT_OK, EXIT_RECORD_FAILURES } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { configSchema } from '../../src/config/schema/root.js';
import { SECRET_ENV } from '../../src/config/secret-names.js';
import { knownKeysAt } from '../../src/config/unknown-key.js';
import { createMetrics } from '../../src/server/metrics.js';
import { codeBlocks, commandsIn, configKeysIn, envNamesIn, GUIDES, readGuide, section, yamlKeyPaths } from './guide-text.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const guides = GUIDES.map((name) => readGuide(ROOT, name));

const quietContext = (): CliContext => ({
  stdout: () => undefined,
  stderr: () => undefined,
  env: {},
  cwd: ROOT,
  stderrIsTty: false,
  version: '0.0.0-docs',
  onShutdownSignal: () => () => undefined,
});

/** Every command of the program, each with its path of names from the root. */
function commandsOf(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...commandsOf(sub, [...path, sub.name()])]);
}

/**
 * Parses `argv` with the real program, every action replaced by one that only notes which command
 * ran: unknown commands and options, missing option values and required options all throw, as
 * they would for an operator. Returns the path of the command that would run.
 */
async function parses(argv: readonly string[]): Promise<string> {
  const program = await buildProgram(quietContext());
  let ran: string | null = null;
  for (const { path, command } of commandsOf(program)) command.action(() => void (ran = path.join(' ')));
  await program.parseAsync([...argv], { from: 'user' });
  if (ran === null) throw new Error(`no command runs for: ${argv.join(' ')}`);
  return ran;
}

describe('the operator guides', () => {
  it('show commands, so the checks below have something to check', () => {
    const shown = guides.flatMap((g) => commandsIn(g.text).map((c) => c.argv.slice(0, 2).join(' ')));
    expect(shown).toEqual(expect.arrayContaining(['auth login', 'webhooks register', 'config check', 'crm setup', 'sync --dry-run', 'run --config']));
    for (const guide of guides) expect(commandsIn(guide.text).length).toBeGreaterThan(2);
  });

  it('show only commands the CLI parses, with options it has', async () => {
    const refused: string[] = [];
    for (const guide of guides) {
      for (const { line, argv } of commandsIn(guide.text)) {
        try {
          await parses(argv);
        } catch (error) {
          refused.push(`${guide.name}: ${line}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it('name only configuration keys the schema has, in prose and in YAML examples', () => {
    const schema = configSchema({ env: {}, cwd: ROOT });
    const exists = (path: readonly string[]): boolean =>
      knownKeysAt(schema, path.slice(0, -1)).includes(path.at(-1) ?? '') || Object.hasOwn(SECRET_ENV, path.join('.'));
    const unknown: string[] = [];
    let checked = 0;
    for (const guide of guides) {
      for (const key of configKeysIn(guide.text, knownKeysAt(schema, []))) {
        checked += 1;
        if (!exists(key.split('.'))) unknown.push(`${guide.name}: \`${key}\``);
      }
      for (const block of codeBlocks(guide.text).filter((b) => b.lang === 'yaml')) {
        for (const path of yamlKeyPaths(parse(block.body))) {
          checked += 1;
          if (!exists(path)) unknown.push(`${guide.name}: YAML key ${path.join('.')}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('name only environment variables the product reads', () => {
    // Node itself reads NODE_OPTIONS (operations.md, "Memory").
    const secrets = [...Object.values(SECRET_ENV).flatMap((name) => [name, `${name}_FILE`]), 'NODE_OPTIONS'];
    const source = ['src', 'connectors'].flatMap((dir) => sourceFiles(join(ROOT, dir))).map((file) => readFileSync(file, 'utf8')).join('\n');
    const unknown = guides.flatMap((guide) => envNamesIn(guide.text).filter((name) => !secrets.includes(name) && !source.includes(name)).map((name) => `${guide.name}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it('describe every sync metric the daemon registers, and name no other', async () => {
    const metrics = createMetrics();
    createLeaseMetrics(metrics.registry);
    const registered = new Set((await metrics.registry.getMetricsAsArray()).map((m) => m.name));
    const ownMetrics = [...registered].filter((name) => !/^cosell_(process|nodejs)_/.test(name));
    const text = section(readGuide(ROOT, 'operations.md').text, 'Health, metrics and alerts');
    const named = new Set([...text.matchAll(/`(cosell_[a-z0-9_]+)`/g)].map((m) => m[1] ?? ''));
    expect({ undescribed: ownMetrics.filter((name) => !named.has(name)), unknown: [...named].filter((name) => !registered.has(name)) }).toEqual({ undescribed: [], unknown: [] });
    expect(ownMetrics.length).toBeGreaterThan(10);
  });

  it('list exactly the exit codes the CLI uses', () => {
    const text = section(readGuide(ROOT, 'operations.md').text, 'Exit codes');
    const listed = [...text.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([EXIT_OK, EXIT_FATAL, EXIT_CONFIG_INVALID, EXIT_RECORD_FAILURES]);
  });
});

describe('the guide checks themselves', () => {
  it('refuse a command the CLI does not have, an option it does not take, and a missing required option', async () => {
    await expect(parses(['sync', '--dry-run'])).resolves.toBe('sync');
    await expect(parses(['links', 'show', '--crm-id', '006A'])).resolves.toBe('links show');
    await expect(parses(['sync', '--dryrun'])).rejects.toThrow(/unknown option/);
    await expect(parses(['failures', 'purge'])).rejects.toThrow();
    await expect(parses(['webhooks', 'register'])).rejects.toThrow(/--url/);
  });

  it('find commands in spans and blocks, but not paths or image names', () => {
    const text = [
      'Run `cosell-sync auth login --timeout 60` once.',
      '```sh',
      'docker build -t cosell-sync:0.1.0 .',
      'docker run --rm cosell-sync:0.1.0 config check',
      'docker exec -it cosell node dist/cli/cosell-sync.js failures list --json | jq .',
      'ExecStart=/usr/bin/node /opt/cosell-sync/dist/cli/cosell-sync.js run --config /etc/cosell-sync/cosell-sync.yaml',
      'cosell-sync webhooks register \\',
      '  --url https://example.com/hook',
      '```',
    ].join('\n');
    expect(commandsIn(text).map((c) => c.argv)).toEqual([
      ['auth', 'login', '--timeout', '60'],
      ['config', 'check'],
      ['failures', 'list', '--json'],
      ['run', '--config', '/etc/cosell-sync/cosell-sync.yaml'],
      ['webhooks', 'register', '--url', 'https://example.com/hook'],
    ]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}
