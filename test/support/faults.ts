/**
 * Failures a test injects into an in-memory fake connector, per method call: refused before
 * anything happens, or the write applied and then its answer lost (what a timeout or a reset
 * after the server committed looks like to the caller).
 */
import { ConnectorError, type ConnectorErrorKind, type ConnectorSystem } from '../../connectors/errors.js';

export interface Fault {
  method: string;
  error: ConnectorError;
  /** The call takes effect, then its answer is lost: the error is thrown after the write. */
  afterApply?: boolean;
  /** How many matching calls it hits (default 1; Infinity for every one). */
  times?: number;
  /** Only calls whose arguments match. */
  when?: (args: unknown) => boolean;
}

export class Faults {
  private readonly pending: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    this.pending.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault this call meets, if any (used up by the call). */
  take(method: string, args: unknown): Fault | null {
    const found = this.pending.find((f) => f.method === method && f.left > 0 && (f.when?.(args) ?? true));
    if (!found) return null;
    found.left -= 1;
    return found;
  }
}

export function connectorError(system: ConnectorSystem, kind: ConnectorErrorKind, message: string, extra: Partial<{ status: number; vendorCode: string; outcomeUnknown: boolean; retryAfterMs: number }> = {}): ConnectorError {
  return new ConnectorError({ kind, system, message, ...extra });
}

/** A write whose answer never came (timeout, reset): it may have taken effect. */
export const lostAnswer = (system: ConnectorSystem): ConnectorError =>
  connectorError(system, 'transient', 'socket hang up after the request was sent', { outcomeUnknown: true, vendorCode: 'ECONNRESET' });

/** Nobody is signed in: every call of the system fails the same way. */
export const signedOut = (system: ConnectorSystem): ConnectorError =>
  connectorError(system, 'auth', 'the refresh token has expired; sign in again', { status: 401, vendorCode: 'invalid_grant' });

export interface Call {
  method: string;
  args: unknown;
}

/** The call log every fake keeps, to count what the engine asked of it. */
export class CallLog {
  readonly calls: Call[] = [];

  record(method: string, args: unknown): void {
    this.calls.push({ method, args: structuredClone(args) });
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  of<T>(method: string): T[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as T);
  }

  reset(): void {
    this.calls.length = 0;
  }
}
