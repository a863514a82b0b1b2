import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger, LoggerOptions } from 'pino';
import { pino } from 'pino';
import type Pretty from 'pino-pretty';

import { redactText } from './redact-text.js';
import { REDACT_KEYS, REDACT_PATHS, REDACTED, redactDeep } from './redaction.js';
import { serializeError } from './serialize-error.js';

/** The one logger type the code base passes around. */
export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Fields child loggers carry, so every line of one run / record can be found together. */
export interface LogContext {
  runId?: string;
  direction?: 'outbound' | 'inbound' | 'reconcile';
  crmId?: string;
  referralId?: string;
  correlationId?: string;
}

/**
 * The one pino factory: JSON with ISO timestamps to stdout (or `destination`), or a
 * human-readable stream for terminals. Secrets and contact details are redacted by key name at
 * any depth (`REDACT_KEYS`), by exact path (`REDACT_PATHS`), and inside free text (`redactText`:
 * e-mail addresses and phone numbers in messages and string fields).
 */
export function createLogger(args: {
  level: LogLevel;
  pretty: boolean;
  /** A writable stream (tests pass a `Writable` sink); default stdout. */
  destination?: NodeJS.WritableStream;
  /** Replaces the default exact redact paths; extend `REDACT_PATHS` rather than shrinking it. */
  redactPaths?: readonly string[];
  /** Replaces the default keys redacted at any depth; extend `REDACT_KEYS` rather than shrinking it. */
  redactKeys?: readonly string[];
}): Logger {
  const keys = new Set(args.redactKeys ?? REDACT_KEYS);
  const redact = (fields: Record<string, unknown>): Record<string, unknown> =>
    redactDeep(fields, keys) as Record<string, unknown>;
  const options: LoggerOptions = {
    level: args.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...(args.redactPaths ?? REDACT_PATHS)], censor: REDACTED },
    formatters: { log: redact, bindings: redact },
    // `redactDeep` has already serialised errors; pino's default would re-wrap the plain object.
    serializers: { err: (error: unknown) => (error instanceof Error ? serializeError(error) : error) },
    // The message itself may quote vendor text: the same free-text redaction as the fields.
    hooks: {
      logMethod(inputArgs, method) {
        method.apply(this, inputArgs.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  if (args.pretty) {
    // Loaded only for terminals: JSON logging (the daemon, pipes) never pays for it.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof Pretty;
    const stream = pretty({
      colorize: args.destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:standard',
      ignore: 'pid,hostname',
      sync: true,
      ...(args.destination === undefined ? {} : { destination: args.destination }),
    });
    return pino(options, stream);
  }
  // Levels as words in JSON so operators can grep and log shippers need no mapping table.
  const jsonOptions: LoggerOptions = { ...options, formatters: { ...options.formatters, level: (label) => ({ level: label }) } };
  return args.destination === undefined
    ? pino(jsonOptions)
    : pino(jsonOptions, args.destination as DestinationStream);
}

/** A child logger carrying run / record context (only the fields given). */
export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}
