/**
 * Webhook signature check (Partner Center docs, "Partner Center webhooks"), done before anything else: the certificate URL's host
 * must be on the allow-list (no other URL is ever fetched), the certificate must chain to a
 * configured root, be within its dates and belong to the expected organization, and its key must
 * verify RSA-SHA256 over the UTF-8 raw body.
 */
import { verify as verifySignature } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { err, ok } from '../../../src/domain/result.js';
import type { Result } from '../../../src/domain/result.js';
import { checkChain, parsePemBundle, subjectAttribute } from './certificates.js';

export type WebhookRejectionReason =
  | 'missingHeaders'
  | 'unsupportedAlgorithm'
  | 'badCertificateUrl'
  | 'hostNotAllowed'
  | 'certificateUnavailable'
  | 'untrustedChain'
  | 'certificateExpired'
  | 'wrongOrganization'
  | 'badSignature';

export interface WebhookRejection {
  reason: WebhookRejectionReason;
  detail: string;
}

export interface VerifiedWebhook {
  certificateUrl: string;
  subject: string;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyWebhookArgs {
  headers: HeaderBag;
  rawBody: string | Buffer;
  /** PEM roots the signing certificate must chain to. */
  trustedRoots: readonly string[];
  /** Hosts the certificate may be fetched from (exact, or `.example.com` for subdomains). */
  hostAllowList: readonly string[];
  fetchCertificate: (url: string) => Promise<string>;
  now: Date;
  /** The subject Organization the certificate must carry; null skips the check (sandbox). */
  expectedOrganization?: string | null;
}

const header = (headers: HeaderBag, name: string): string | undefined => {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found[0] : found;
};

// Parsed roots per roots array: a daemon passes the same array (possibly Node's ~140 public
// roots) to every call, and parsing them each time would cost more than the check itself.
const parsedRoots = new WeakMap<readonly string[], X509Certificate[]>();
function rootsOf(pems: readonly string[]): X509Certificate[] {
  let roots = parsedRoots.get(pems);
  if (roots === undefined) {
    roots = pems.flatMap(parsePemBundle);
    parsedRoots.set(pems, roots);
  }
  return roots;
}

// The few signing certificates a daemon sees, parsed once: parsing the same PEM for every post of
// a burst cost more than checking the post's signature. Bounded like the download cache.
const parsedBundles = new Map<string, X509Certificate[]>();
const MAX_PARSED_BUNDLES = 16;
function bundleOf(pem: string): X509Certificate[] {
  let bundle = parsedBundles.get(pem);
  if (bundle === undefined) {
    bundle = parsePemBundle(pem);
    parsedBundles.set(pem, bundle);
    if (parsedBundles.size > MAX_PARSED_BUNDLES) parsedBundles.delete(parsedBundles.keys().next().value as string);
  }
  return bundle;
}

const reject = (reason: WebhookRejectionReason, detail: string): { ok: false; error: WebhookRejection } => err({ reason, detail });

export function hostAllowed(host: string, allowList: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowList.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('.') ? h.endsWith(e) && h.length > e.length : h === e;
  });
}

/** The base64 signature from `Authorization: Signature <b64>` or `x-ms-signature`. */
function readSignature(headers: HeaderBag): Buffer | null {
  const auth = header(headers, 'authorization');
  const fromAuth = auth !== undefined && /^signature\s+/i.test(auth) ? auth.replace(/^signature\s+/i, '') : undefined;
  const value = fromAuth ?? header(headers, 'x-ms-signature');
  if (value === undefined || value.trim() === '') return null;
  const sig = Buffer.from(value.trim(), 'base64');
  return sig.length === 0 ? null : sig;
}

export async function verifyWebhook(args: VerifyWebhookArgs): Promise<Result<VerifiedWebhook, WebhookRejection>> {
  const signature = readSignature(args.headers);
  const certificateUrl = header(args.headers, 'x-ms-certificate-url');
  if (signature === null || certificateUrl === undefined || certificateUrl.trim() === '') {
    return reject('missingHeaders', 'the signature or x-ms-certificate-url header is missing');
  }
  const algorithm = header(args.headers, 'x-ms-signature-algorithm');
  if (algorithm !== undefined && algorithm.toLowerCase() !== 'rsa-sha256') return reject('unsupportedAlgorithm', `algorithm ${algorithm.slice(0, 40)}`);
  let url: URL;
  try {
    url = new URL(certificateUrl.trim());
  } catch {
    return reject('badCertificateUrl', 'x-ms-certificate-url is not a URL');
  }
  if (url.protocol !== 'https:') return reject('badCertificateUrl', 'the certificate URL is not https');
  if (!hostAllowed(url.hostname, args.hostAllowList)) return reject('hostNotAllowed', `certificate host ${url.hostname} is not on the allow-list`);

  let pem: string;
  try {
    pem = await args.fetchCertificate(url.toString());
  } catch (error) {
    return reject('certificateUnavailable', `could not fetch the certificate: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200));
  }
  let bundle;
  let roots;
  try {
    bundle = bundleOf(pem);
    roots = rootsOf(args.trustedRoots);
  } catch {
    return reject('untrustedChain', 'the certificate cannot be parsed');
  }
  const [leaf, ...intermediates] = bundle;
  if (leaf === undefined) return reject('untrustedChain', 'no certificate at the URL');
  const chain = checkChain({ leaf, intermediates, roots, now: args.now });
  if (chain !== null) return reject(chain, chain === 'certificateExpired' ? 'a certificate in the chain is outside its validity dates' : 'the certificate does not chain to a trusted root');
  const expected = args.expectedOrganization === undefined ? 'Microsoft Corporation' : args.expectedOrganization;
  const org = subjectAttribute(leaf.subject, 'O');
  if (expected !== null && org !== expected) return reject('wrongOrganization', `certificate organization ${org ?? '(none)'}`);

  const body = typeof args.rawBody === 'string' ? Buffer.from(args.rawBody, 'utf8') : args.rawBody;
  let valid: boolean;
  try {
    valid = verifySignature('sha256', body, leaf.publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return reject('badSignature', 'the RSA-SHA256 signature does not match the body');
  return ok({ certificateUrl: url.toString(), subject: leaf.subject });
}
