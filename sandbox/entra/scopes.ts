/**
 * Reads a v2 `scope` parameter: the resource (audience) comes from the resource scopes, e.g.
 * `https://api.partner.microsoft.com/.default` -> `https://api.partner.microsoft.com`,
 * `<dataverse org url>/.default` -> the org URL (the one token endpoint serves them all).
 */

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
/** Bare Graph scopes such as `User.Read` or `Mail.Send` belong to Microsoft Graph. */
const GRAPH = 'https://graph.microsoft.com';

export interface ScopeRequest {
  /** Normalised audience: scheme + host (+ port) [+ path], no trailing slash. */
  audience: string;
  /** The permission names asked for on that resource (`.default` included as given). */
  permissions: string[];
  openid: boolean;
  offlineAccess: boolean;
  /** The scopes as requested, for the response's `scope`. */
  requested: string[];
}

export type ScopeResult = { ok: true; value: ScopeRequest } | { ok: false; message: string };

export function readScopes(raw: string | null): ScopeResult {
  const requested = (raw ?? '').split(/\s+/).filter((s) => s !== '');
  const resources = requested.filter((s) => !OIDC_SCOPES.has(s));
  const byAudience = new Map<string, string[]>();
  for (const scope of resources) {
    const { audience, permission } = splitScope(scope);
    byAudience.set(audience, [...(byAudience.get(audience) ?? []), permission]);
  }
  if (byAudience.size > 1) {
    return { ok: false, message: 'The scope list names more than one resource; request one resource per token.' };
  }
  const [entry] = [...byAudience.entries()];
  return {
    ok: true,
    value: {
      audience: entry?.[0] ?? GRAPH,
      permissions: entry?.[1] ?? ['User.Read'],
      openid: requested.includes('openid'),
      offlineAccess: requested.includes('offline_access'),
      requested,
    },
  };
}

function splitScope(scope: string): { audience: string; permission: string } {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(scope) && !scope.startsWith('api://')) return { audience: GRAPH, permission: scope };
  const cut = scope.lastIndexOf('/');
  return { audience: normaliseAudience(scope.slice(0, cut)), permission: scope.slice(cut + 1) };
}

/** Lower-cases scheme and host and drops a trailing slash, so `https://Org.example/` equals `https://org.example`. */
export function normaliseAudience(value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return trimmed;
  }
}
