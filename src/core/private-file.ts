/**
 * Files that hold state or secrets (the SQLite store and its -wal / -shm, log files, token files)
 * are readable by their owner only, whatever the umask: created 0600, and tightened to 0600 when an
 * older version left them wider.
 */
import { chmodSync, closeSync, createWriteStream, existsSync, openSync, statSync, writeFileSync, type WriteStream } from 'node:fs';

export const PRIVATE_MODE = 0o600;

/** Creates `path` empty with mode 0600 if it is missing; narrows it to 0600 if it exists wider. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_MODE));
  tightenToPrivate(path);
}

/** Narrows an existing file to 0600 (a no-op for a missing file). */
export function tightenToPrivate(path: string): void {
  if (!existsSync(path)) return;
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_MODE);
}

/** Writes `text` to `path`, readable by its owner only. */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: PRIVATE_MODE });
  tightenToPrivate(path);
}

/** An append stream to a log file readable by its owner only. */
export function privateWriteStream(path: string): WriteStream {
  ensurePrivateFile(path);
  return createWriteStream(path, { flags: 'a', mode: PRIVATE_MODE });
}
