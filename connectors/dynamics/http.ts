/**
 * One plain HTTP exchange on node:http / node:https. dynamics-web-api 2.5.0 cannot be used for
 * the wire: its https agent is module-internal (no way to trust a private CA such as the sandbox
 * CA) and it hides response headers on success (the x-ms-ratelimit-* headers feed our limiter).
 * Retries are not made here; they belong to withRetry.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpTransport {
  send(args: { method: string; url: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<HttpResponse>;
  close(): void;
}

/** Thrown when no answer came (reset, timeout): a write may or may not have been applied. */
export class NoAnswerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'NoAnswerError';
  }
}

export function createHttpTransport(args: { timeoutMs: number; ca?: string | undefined }): HttpTransport {
  const httpsAgent = new https.Agent({ keepAlive: true, ...(args.ca === undefined ? {} : { ca: args.ca }) });
  const httpAgent = new http.Agent({ keepAlive: true });
  return {
    send({ method, url, headers, body, signal }) {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      return new Promise((resolve, reject) => {
        const req = (secure ? https : http).request(
          target,
          { method, headers, agent: secure ? httpsAgent : httpAgent, timeout: args.timeoutMs, ...(signal ? { signal } : {}) },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('error', (e) => reject(new NoAnswerError(e.message, 'ECONNRESET', { cause: e })));
            res.on('end', () => {
              const out: Record<string, string> = {};
              for (const [name, value] of Object.entries(res.headers)) {
                if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
              }
              resolve({ status: res.statusCode ?? 0, headers: out, body: text });
            });
          },
        );
        req.on('timeout', () => req.destroy(new NoAnswerError(`no answer within ${args.timeoutMs} ms`, 'ETIMEDOUT')));
        req.on('error', (e: unknown) => {
          if (e instanceof NoAnswerError || (e instanceof Error && e.name === 'AbortError')) return reject(e);
          const code = (e as { code?: unknown } | null)?.code;
          reject(new NoAnswerError(e instanceof Error ? e.message : 'request failed', typeof code === 'string' ? code : 'ECONNRESET', { cause: e }));
        });
        if (body !== undefined && body !== '') req.write(body);
        req.end();
      });
    },
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
