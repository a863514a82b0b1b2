/**
 * Checks of secrets whose form can be known before any sign-in: the token-cache key and private
 * keys. Each returns what is wrong and how to make a good one, never the value; null when fine.
 */
import { createPrivateKey } from 'node:crypto';

/** The token-cache key: 32 bytes (AES-256), as 64 hex digits or base64. */
export function checkCacheKey(value: string): string | null {
  const text = value.trim();
  const hex = /^[0-9a-fA-F]{64}$/.test(text);
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+$/.test(text);
  const bytes = hex ? 32 : base64 ? Buffer.from(text, 'base64').length : 0;
  if (bytes === 32) return null;
  const found = hex || base64 ? `this one is ${bytes} bytes` : 'this one is neither hex nor base64';
  return `must be 32 random bytes written as 64 hex digits or 44 base64 characters (make one with \`openssl rand -base64 32\`); ${found}`;
}

/** A PEM private key usable for RS256 signatures (Salesforce JWT bearer, Entra certificate sign-in). */
export function checkPrivateKey(value: string): string | null {
  if (!value.includes('\n') && value.includes('\\n')) {
    return 'the key holds the characters \\n instead of line breaks: give it with real line breaks, or put it in a file and name that file instead';
  }
  if (/-----BEGIN (ENCRYPTED PRIVATE KEY|RSA PRIVATE KEY-----[\s\S]*Proc-Type: 4,ENCRYPTED)/.test(value)) {
    return 'the private key is encrypted with a passphrase, which cannot be given here: export it without one (`openssl pkcs8 -topk8 -nocrypt -in key.pem`)';
  }
  if (!value.includes('PRIVATE KEY-----') && value.includes('-----BEGIN CERTIFICATE-----')) {
    return 'this is a certificate, not its private key: give the private key (-----BEGIN PRIVATE KEY-----); the certificate goes to the app registration';
  }
  try {
    const key = createPrivateKey(value);
    if (key.asymmetricKeyType !== 'rsa') return `the key is ${key.asymmetricKeyType ?? 'not RSA'}, but RS256 signatures need an RSA key`;
    return null;
  } catch {
    return 'not a PEM private key: expected text from -----BEGIN PRIVATE KEY----- (or -----BEGIN RSA PRIVATE KEY-----) to the matching END line';
  }
}
