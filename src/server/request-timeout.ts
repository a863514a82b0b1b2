/**
 * Fastify options that cut off a sender still trickling its request after `requestTimeoutMs`
 * (answered 408). Fastify turns Node's request timeout off by default, so a slow sender could hold
 * a connection for ever. Node 20 reads the timeout when the server is created (setting it
 * afterwards, as fastify does, has no effect there) and checks it every connectionsCheckingInterval
 * (30 s by default): both are given at creation.
 */
export function requestTimeoutOptions(requestTimeoutMs: number): { requestTimeout: number; http: { requestTimeout: number; connectionsCheckingInterval: number } } {
  return {
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeoutMs / 2)) },
  };
}
