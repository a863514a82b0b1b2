import type { ConfigProblem, PathSegment } from './problems.js';
import { joinPath } from './problems.js';
import type { Config } from './schema/root.js';

/**
 * Rules that span sections, checked once every section is valid on its own.
 * `locate` places a problem in the file when the key is written there.
 */
export function crossCheck(
  config: Config,
  locate: (path: readonly PathSegment[]) => { line: number; column: number } | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: PathSegment[], message: string): void => {
    problems.push({ path: joinPath(path), message, ...locate(path) });
  };
  // Webhook posts arrive on the status server; with it off they would have nowhere to land.
  if (config.partnerCenter.webhooks.enabled && !config.server.enabled) {
    add(['partnerCenter', 'webhooks', 'enabled'], 'webhooks need the status server: set server.enabled to true');
  }
  // Port 0 picks a free port for each listener; any other number can be opened only once.
  if (config.server.enabled && config.partnerCenter.webhooks.enabled && config.server.port !== 0 && config.server.port === config.server.webhooks.port) {
    add(['server', 'webhooks', 'port'], `the webhook listener needs its own port, not the admin listener's ${config.server.port}: choose another (e.g. ${config.server.port + 1})`);
  }
  return problems;
}
