/**
 * Certificate handling for webhook signatures (Partner Center docs, "Partner Center webhooks"): PEM bundles, chain building to a
 * configured root with node:crypto X509Certificate, validity dates and the Organization check.
 */
import { X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text (a leaf possibly followed by intermediates). */
export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

/** The value of one attribute (`O`, `CN`) in an X509 subject as node prints it. */
export function subjectAttribute(subject: string, name: string): string | null {
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim() === name) return line.slice(eq + 1).trim();
  }
  return null;
}

const within = (cert: X509Certificate, now: Date): boolean => now >= new Date(cert.validFrom) && now <= new Date(cert.validTo);

// Whether one certificate signed another never changes: each pair of parsed certificates is
// checked once, not on every post of a burst (the signing certificate and the roots are kept parsed).
const issuedBy = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();
function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  let byIssuer = issuedBy.get(cert);
  if (byIssuer === undefined) issuedBy.set(cert, (byIssuer = new WeakMap()));
  let answer = byIssuer.get(issuer);
  if (answer === undefined) {
    // Node reads `a.checkIssued(b)` as "a was issued by b".
    answer = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    byIssuer.set(issuer, answer);
  }
  return answer;
}

export type ChainProblem = 'untrustedChain' | 'certificateExpired';

/**
 * Walks from the leaf through the bundle's intermediates to one of `roots`, checking each
 * signature and each certificate's validity at `now`. Returns null when the chain holds.
 */
export function checkChain(args: { leaf: X509Certificate; intermediates: readonly X509Certificate[]; roots: readonly X509Certificate[]; now: Date; maxDepth?: number }): ChainProblem | null {
  let current = args.leaf;
  for (let depth = 0; depth <= (args.maxDepth ?? 5); depth++) {
    if (!within(current, args.now)) return 'certificateExpired';
    const root = args.roots.find((r) => issued(r, current));
    if (root !== undefined) return within(root, args.now) ? null : 'certificateExpired';
    const next = args.intermediates.find((c) => c.ca && c !== current && issued(c, current));
    if (next === undefined) return 'untrustedChain';
    current = next;
  }
  return 'untrustedChain';
}
