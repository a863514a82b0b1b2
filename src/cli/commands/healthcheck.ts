import type { Command } from 'commander';

import { isWildcard } from '../../server/loopback.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT_FATAL } from '../context.js';
import { CONFIG_OPTION, loadConfigOrExit } from '../load-config-or-exit.js';

const TIMEOUT_MS = 5_000;

/**
 * `cosell-sync healthcheck`: asks the running daemon's `/healthz` on the admin listener the
 * configuration names (the container's HEALTHCHECK, so it follows `server.host` / `server.port`).
 * Exit 0 when it answers, 1 otherwise.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('healthcheck')
    .description("ask the running daemon's /healthz (the admin listener of the configuration); exit 0 when it answers")
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      const { config } = loadConfigOrExit(ctx, options.config);
      if (!config.server.enabled) {
        ctx.stderr('cosell-sync: the status server is off (server.enabled: false): nothing answers /healthz\n');
        throw new CliExit(EXIT_FATAL);
      }
      // A wildcard bind answers on loopback; an IPv6 literal needs brackets in a URL.
      const host = isWildcard(config.server.host) ? '127.0.0.1' : config.server.host.includes(':') && !config.server.host.startsWith('[') ? `[${config.server.host}]` : config.server.host;
      const url = `http://${host}:${config.server.port}/healthz`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (response.ok) return;
        ctx.stderr(`cosell-sync: ${url} answered ${response.status}\n`);
      } catch (error) {
        ctx.stderr(`cosell-sync: ${url} did not answer (${error instanceof Error ? error.message : String(error)})\n`);
      }
      throw new CliExit(EXIT_FATAL);
    });
}
