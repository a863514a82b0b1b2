import type { Writable } from 'node:stream';

import type { ComposeRuntime } from '../app/sync-runtime.js';

/**
 * Everything a command touches outside itself, injected so tests run the program in-process.
 * Only `bin.ts` builds it from `process`.
 */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Decides `logging.pretty: auto` (logs go to stderr). */
  stderrIsTty: boolean;
  version: string;
  /** Calls `handler` on SIGTERM / SIGINT; returns a function that stops listening. */
  onShutdownSignal: (handler: (signal: string) => void) => () => void;
  /** Where commands log (default: `stderr`). */
  logDestination?: Writable;
  /** Builds the sync loops for `run`; without it the daemon runs its shell only (store, server). */
  composeRuntime?: ComposeRuntime;
}

/** Thrown by a command to end the program with `code` (its message already printed). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/**
 * The exit codes every command keeps (documented in the README): 0 done; 1 a fatal error (the
 * command could not do what was asked); 2 the configuration or the command line is wrong, and
 * nothing was done; 3 the command ran, but some records failed (listed by `failures list`).
 */
export const EXIT_OK = 0;
export const EXIT_FATAL = 1;
export const EXIT_CONFIG_INVALID = 2;
export const EXIT_RECORD_FAILURES = 3;
