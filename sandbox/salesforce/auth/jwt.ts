import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export type JwtCheck =
  | { ok: true; clientId: string; username: string }
  | { ok: false; error: string; description: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A public key from a PEM public key or X.509 certificate (the connected app's upload). */
export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}

/**
 * Checks a JWT bearer assertion (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"): RS256 only; `iss` = consumer key,
 * `sub` = username, `aud` one of the accepted audiences, `exp` in the future allowing about 3
 * minutes of skew; the signature verifies against a key registered for the client.
 */
export function checkJwtAssertion({
  assertion,
  isClient,
  keysFor,
  audiences,
  now,
  allowUnsigned,
}: {
  assertion: string;
  isClient: (clientId: string) => boolean;
  keysFor: (clientId: string) => readonly KeyObject[];
  audiences: readonly string[];
  now: number;
  allowUnsigned: boolean;
}): JwtCheck {
  const bad = (description: string): JwtCheck => ({ ok: false, error: 'invalid_grant', description });
  const parts = assertion.split('.');
  if (parts.length !== 3) return bad('invalid assertion');
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload) return bad('invalid assertion');
  if (header['alg'] !== 'RS256') return bad('invalid assertion');
  const iss = payload['iss'];
  const sub = payload['sub'];
  if (typeof iss !== 'string' || typeof sub !== 'string') return bad('invalid assertion');
  if (!isClient(iss)) return { ok: false, error: 'invalid_client_id', description: 'client identifier invalid' };
  const aud = payload['aud'];
  const audList = Array.isArray(aud) ? aud : [aud];
  if (!audList.some((a) => typeof a === 'string' && audiences.includes(a.replace(/\/$/, '')))) return bad('audience is invalid');
  // Some JWT tooling writes exp as a string; Salesforce allows ~3 minutes of skew.
  const exp = Number(payload['exp']);
  if (!Number.isFinite(exp) || exp * 1000 + 180_000 < now) return bad('expired authorization code');
  const keys = keysFor(iss);
  if (keys.length === 0) {
    if (allowUnsigned) return { ok: true, clientId: iss, username: sub };
    return bad('invalid assertion');
  }
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const valid = keys.some((key) => {
    try {
      return verify('RSA-SHA256', data, key, signature);
    } catch {
      return false;
    }
  });
  return valid ? { ok: true, clientId: iss, username: sub } : bad('invalid assertion');
}
