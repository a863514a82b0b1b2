/**
 * The msal-node token cache, persisted encrypted at rest (AES-256-GCM) in a state-store blob.
 * The key comes from configuration (environment), never from the repository; the blob holds
 * only a version byte, the IV, the auth tag and the ciphertext, so no token is readable in it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { StateStore } from '../../../src/store/types.js';

/** The state-store blob holding the encrypted msal cache. */
export const TOKEN_CACHE_BLOB = 'pc-token-cache';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads a 32-byte key given as base64 or hex (from config / env), rejecting anything else. */
export function parseCacheKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('the token cache key must be 32 bytes, given as 64 hex digits or base64');
  return key;
}

/** AES-256-GCM with a fresh IV: version byte, IV, auth tag, ciphertext. */
export function encryptCache(plain: string, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Throws when the blob was written with another key or was tampered with. */
export function decryptCache(blob: Buffer, key: Buffer): string {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) throw new Error('unrecognised token cache format');
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The accounts a serialized msal cache holds (its `Account` section, by home account id). */
function accountIdsIn(json: string): Set<string> {
  const parsed: unknown = JSON.parse(json);
  const accounts = typeof parsed === 'object' && parsed !== null && 'Account' in parsed ? parsed.Account : null;
  const ids = new Set<string>();
  if (typeof accounts !== 'object' || accounts === null) return ids;
  for (const entry of Object.values(accounts)) {
    if (typeof entry === 'object' && entry !== null && 'home_account_id' in entry && typeof entry.home_account_id === 'string') ids.add(entry.home_account_id);
  }
  return ids;
}

/**
 * An ICachePlugin over the state store. Every cache access re-reads the blob (small), so a
 * daemon picks up a fresh login written by `cosell-sync auth login` without a restart.
 * `storedAccountIds` tells which accounts the stored cache holds: msal keeps accounts it has seen
 * in memory even after a deserialize that lacks them, so a replaced sign-in must be told apart.
 */
export function createEncryptedCachePlugin(args: {
  store: StateStore;
  key: Buffer;
  blobName?: string;
  /** Told when the stored cache cannot be decrypted (wrong key, corruption); it is then ignored. */
  onUnreadable?: (error: Error) => void;
}): ICachePlugin & { storedAccountIds(): ReadonlySet<string> } {
  const name = args.blobName ?? TOKEN_CACHE_BLOB;
  let stored = new Set<string>();
  return {
    storedAccountIds: () => stored,
    async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
      const blob = await args.store.getBlob(name);
      // Always deserialize: msal may clear its memory before asking (overwriteCache), so skipping
      // an unchanged blob would leave it empty.
      if (blob === null) {
        stored = new Set();
        return;
      }
      try {
        const json = decryptCache(blob, args.key);
        ctx.tokenCache.deserialize(json);
        stored = accountIdsIn(json);
      } catch (error) {
        args.onUnreadable?.(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
      if (!ctx.cacheHasChanged) return;
      const json = ctx.tokenCache.serialize();
      await args.store.putBlob(name, encryptCache(json, args.key));
      stored = accountIdsIn(json);
    },
  };
}
