/** Loopback names and addresses (127.0.0.0/8, ::1, localhost): reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** An address that means "every interface": it is no name a browser would send in `Host`. */
export const isWildcard = (host: string): boolean => ['0.0.0.0', '::', '[::]'].includes(host);
