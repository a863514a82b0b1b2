import { Writable } from 'node:stream';

import type { LoggingConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createLogger } from '../logging/index.js';
import type { CliContext } from './context.js';

/**
 * The logger of every command, the daemon included: log lines go to stderr, so stdout carries
 * only what a command prints for its user (a report, a list, a plan) and stays clean for pipes.
 */
export function commandLogger(ctx: CliContext, logging: LoggingConfig): Logger {
  return createLogger({
    level: logging.level,
    pretty: logging.pretty === 'auto' ? ctx.stderrIsTty : logging.pretty,
    destination:
      ctx.logDestination ??
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          ctx.stderr(chunk.toString());
          done();
        },
      }),
  });
}
