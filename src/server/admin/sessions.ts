/**
 * Page sign-ins, held in memory: a restart signs everyone out, which is the safe direction. Each
 * session carries its own CSRF token, so a token copied from one session is worthless in another.
 */
import { randomBytes } from 'node:crypto';

import type { Clock } from '../../core/clock.js';

export interface AdminSession {
  id: string;
  /** Who signed in: `admin token`, or the Entra account's name. */
  user: string;
  csrf: string;
  expiresAt: number;
}

const MAX_SESSIONS = 1_000;

export class SessionStore {
  readonly #sessions = new Map<string, AdminSession>();

  constructor(private readonly deps: { clock: Clock; ttlMs: number }) {}

  create(user: string): AdminSession {
    this.prune();
    const session: AdminSession = {
      id: randomBytes(32).toString('base64url'),
      user,
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: this.deps.clock.now().getTime() + this.deps.ttlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): AdminSession | null {
    if (id === undefined) return null;
    const session = this.#sessions.get(id);
    if (session === undefined) return null;
    if (session.expiresAt <= this.deps.clock.now().getTime()) {
      this.#sessions.delete(id);
      return null;
    }
    return session;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  private prune(): void {
    const now = this.deps.clock.now().getTime();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
    // Oldest first (insertion order): a flood of sign-ins cannot grow memory without bound.
    while (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }
}
