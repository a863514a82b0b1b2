/**
 * Who this instance is, across restarts: an id kept in a file (0600) next to the store by
 * default, so a restarted instance recognises the leases it held before and reclaims them at once
 * instead of waiting for them to expire. Each process life also has its own session, so one
 * process never holds a lease twice.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { tightenToPrivate, writePrivateFile } from '../core/private-file.js';

export interface InstanceIdentity {
  /** Stable across restarts (the persisted id). */
  owner: string;
  /** New for every process life. */
  session: string;
}

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/** Reads the persisted id, or creates it; a file that holds something else is an error naming it. */
export function loadInstanceIdentity(file: string): InstanceIdentity {
  let owner: string;
  if (existsSync(file)) {
    tightenToPrivate(file);
    owner = readFileSync(file, 'utf8').trim();
    if (!ID_PATTERN.test(owner)) {
      throw new Error(`${file} (leases.identityFile) does not hold an instance id (letters, digits, . _ : -); delete it and a new one is made`);
    }
  } else {
    owner = `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100)}-${randomUUID().slice(0, 8)}`;
    mkdirSync(dirname(file), { recursive: true });
    writePrivateFile(file, `${owner}\n`);
  }
  return { owner, session: randomUUID() };
}
