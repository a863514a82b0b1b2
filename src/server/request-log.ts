/**
 * One log line per answered request: method, path (the query string left out: it may carry a
 * token), status and duration. Fastify's own request lines are turned off: through our logger's
 * redaction they came out as `"req":{}` and `"res":{}`.
 */
import type { FastifyInstance } from 'fastify';

export function logRequests(app: FastifyInstance, args: { quiet: ReadonlySet<string> }): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    // Probes and scrapes come every few seconds; their lines would drown the sync's own log.
    if (args.quiet.has(path) && reply.statusCode < 500) return;
    const line = { reqId: request.id, method: request.method, path, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 };
    if (reply.statusCode >= 500) request.log.error(line, 'request failed');
    else request.log.info(line, 'request');
  });
}
