/** The admin listener's authentication and request guard. */
import type { Config } from '../../config/index.js';
import { isWildcard } from '../loopback.js';
import { hostName } from './decide.js';

export { adminTokenFile, loadAdminToken } from './admin-token.js';
export { admitted, entraSignIn } from './entra-sign-in.js';
export type { AdminGuardOptions, ExternalSignIn } from './guard.js';
export { installAdminGuard, sameSecret } from './guard.js';
export { escapeHtml, pageShell, SECURITY_HEADERS } from './page-style.js';
export { SessionStore } from './sessions.js';

/** Host names the admin listener answers to: loopback names, the bind address, and `server.allowedHosts`. */
export function allowedHostsFor(server: Pick<Config['server'], 'host' | 'allowedHosts'>): ReadonlySet<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '::1', ...server.allowedHosts.map(hostName)]);
  if (!isWildcard(server.host)) hosts.add(hostName(server.host.includes(':') && !server.host.startsWith('[') ? `[${server.host}]` : server.host));
  return hosts;
}
