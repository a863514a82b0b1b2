/**
 * The two cookies of the status page. Written by hand: @fastify/cookie needs cookie@2, which wants
 * Node 22, and what is needed here is one header parsed and two attributes sets written.
 */

export const SESSION_COOKIE = 'cosell_session';
/** Double-submit token of the sign-in form (there is no session yet to bind it to). */
export const SIGN_IN_COOKIE = 'cosell_signin';

export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
      } catch {
        // A malformed value is as good as none.
      }
    }
  }
  return cookies;
}

/** HttpOnly, SameSite=Strict, Path=/, and Secure when the page is served over https. */
export function cookieHeader(args: { name: string; value: string; maxAgeSeconds: number; secure: boolean }): string {
  return [
    `${args.name}=${encodeURIComponent(args.value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(args.maxAgeSeconds))}`,
    ...(args.secure ? ['Secure'] : []),
  ].join('; ');
}
