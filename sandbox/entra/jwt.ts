/**
 * JWT-shaped tokens (header.payload.signature, base64url) signed RS256 with a key made at start,
 * as Entra signs with a key published at `jwks_uri`.
 */
import { createSign, createVerify, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID().replace(/-/g, '').slice(0, 27), privateKey, publicKey };
}

export function signJwt(key: SigningKey, payload: object): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const unsigned = `${encode(header)}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

/** The payload when the signature is this key's, else null. Expiry is the caller's business. */
export function verifyJwt<T>(key: SigningKey, token: string): T | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header = '', payload = '', signature = ''] = parts;
  const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key.publicKey, Buffer.from(signature, 'base64url'));
  if (!valid) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

/** The public key as a JWK set, for `jwks_uri`. */
export function jwks(key: SigningKey): { keys: object[] } {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e }] };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
