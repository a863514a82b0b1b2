/**
 * Who may do what on the admin listener, as pure decisions over the facts of one request (the
 * fastify hooks in guard.ts gather the facts and apply the verdict). Read top to bottom: the first
 * rule that answers wins.
 */

/** Paths anyone may read, from any Host: liveness and readiness probes carry no data to protect. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Where a person signs in; reachable without a session (the Origin rule still applies to posts). */
export const SIGN_IN_PATHS: ReadonlySet<string> = new Set(['/signin', '/auth/entra', '/auth/entra/callback']);

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Bodies a browser may send cross-site without asking first (a plain HTML form): these need the CSRF token. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export interface RequestFacts {
  method: string;
  /** Without the query string. */
  path: string;
  /** The Host header as sent (`name:port`). */
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
  bearer: 'absent' | 'valid' | 'invalid';
  /** The session of the cookie, if it names a live one. */
  session: { csrf: string } | null;
  /** Whether a browser asks for a page (then an unauthenticated GET is sent to the sign-in page). */
  wantsHtml: boolean;
}

export type Verdict =
  | { kind: 'allow'; via: 'public' | 'signIn' | 'bearer' | 'session' }
  | { kind: 'toSignIn' }
  | { kind: 'refuse'; status: 401 | 403; error: string };

const refuse = (status: 401 | 403, error: string): Verdict => ({ kind: 'refuse', status, error });

export const isStateChanging = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());

export const isFormBody = (contentType: string | undefined): boolean =>
  contentType !== undefined && FORM_TYPES.some((type) => contentType.toLowerCase().startsWith(type));

/** The host name of a Host header, without port or IPv6 brackets, lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 || h.indexOf(':') !== colon ? h : h.slice(0, colon);
}

/** Same origin: the Origin header names exactly the host (and port) the request was sent to. */
function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === host.trim().toLowerCase();
  } catch {
    return false;
  }
}

/** The first decision, before the body is read: host, cross-site, authentication. */
export function decideAccess(facts: RequestFacts, allowedHosts: ReadonlySet<string>): Verdict {
  if (PUBLIC_PATHS.has(facts.path)) return { kind: 'allow', via: 'public' };
  if (facts.host === undefined || !allowedHosts.has(hostName(facts.host))) {
    return refuse(403, `host ${JSON.stringify(facts.host ?? '')} is not one this server answers to (DNS rebinding guard); add it to server.allowedHosts if it is yours`);
  }
  if (isStateChanging(facts.method)) {
    if (facts.origin !== undefined && !sameOrigin(facts.origin, facts.host)) return refuse(403, 'cross-site request refused: the Origin is not this server');
    if (facts.secFetchSite === 'cross-site' || facts.secFetchSite === 'same-site') return refuse(403, 'cross-site request refused');
  }
  if (SIGN_IN_PATHS.has(facts.path)) return { kind: 'allow', via: 'signIn' };
  if (facts.bearer === 'invalid') return refuse(401, 'the bearer token is not valid');
  if (facts.bearer === 'valid') {
    if (isStateChanging(facts.method) && isFormBody(facts.contentType)) return refuse(403, "form posts need the status page's CSRF token; API clients send JSON");
    return { kind: 'allow', via: 'bearer' };
  }
  if (facts.session !== null) return { kind: 'allow', via: 'session' };
  if (facts.wantsHtml && !isStateChanging(facts.method)) return { kind: 'toSignIn' };
  return refuse(401, 'authentication required: send Authorization: Bearer <admin token>, or sign in on the status page');
}

/** The second decision, once the body is read: a state-changing request of a page session carries its CSRF token. */
export function decideCsrf(args: { method: string; via: 'public' | 'signIn' | 'bearer' | 'session'; sessionCsrf: string | null; presented: string | undefined; equal: (a: string, b: string) => boolean }): Verdict {
  if (!isStateChanging(args.method) || args.via === 'bearer' || args.via === 'public' || args.via === 'signIn') return { kind: 'allow', via: args.via };
  if (args.sessionCsrf === null || args.presented === undefined || !args.equal(args.presented, args.sessionCsrf)) {
    return refuse(403, 'the CSRF token is missing or wrong: reload the status page and try again');
  }
  return { kind: 'allow', via: args.via };
}
