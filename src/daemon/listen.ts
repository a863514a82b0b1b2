import type { FastifyInstance } from 'fastify';

/** A listener that could not open its port; the message names the configuration key to change. */
export class ListenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

const HINTS: Record<string, string> = {
  EADDRINUSE: 'is already in use by another process; choose a free port (0 picks one)',
  EACCES: 'may not be opened by this user (ports below 1024 need privileges); choose a port above 1024',
  EADDRNOTAVAIL: 'is on an address this machine does not have; check the host',
};

/**
 * Listens on `host:port` and returns the address. A port that cannot be opened fails at once with
 * a message naming `key` (the configuration setting, e.g. `server.port`) and what to do.
 */
export async function listenOn(app: FastifyInstance, args: { host: string; port: number; key: string }): Promise<string> {
  try {
    return await app.listen({ host: args.host, port: args.port });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const hint = typeof code === 'string' ? HINTS[code] : undefined;
    if (hint === undefined) throw error;
    throw new ListenError(`${args.key}: ${args.host}:${args.port} ${hint}`, { cause: error });
  }
}
