/**
 * The transport: node:http / node:https `request` through a keep-alive Agent, with the sandbox CA
 * when given (global fetch cannot take a custom CA). Network failures become `ConnectorError`s
 * here; HTTP statuses are classified by classify.ts.
 */
import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { ConnectorError } from '../errors.js';
import type { ConnectorSystem } from '../errors.js';

/** One request as the transport sends it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** A response body larger than this fails the request (unbounded when absent). */
  maxResponseBytes?: number;
}

/** A complete response (any status). */
export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** The body as received, for binary downloads (DER certificates). */
  bytes: Buffer;
}

/** Sends requests; throws only network-level ConnectorErrors. */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** Before these, the request never reached the server, so even a create is safe to repeat. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Classifies a socket-level failure; writes whose bytes may have left are `outcomeUnknown`. */
export function networkError(args: { error: unknown; method: string; system: ConnectorSystem; timedOut: boolean }): ConnectorError {
  const code = typeof args.error === 'object' && args.error !== null && 'code' in args.error ? String(args.error.code) : undefined;
  const isWrite = args.method !== 'GET';
  if (args.timedOut) {
    return new ConnectorError({ kind: 'transient', system: args.system, vendorCode: 'timeout', message: 'request timed out', outcomeUnknown: isWrite, cause: args.error });
  }
  const known = code !== undefined && NETWORK_CODES.has(code);
  return new ConnectorError({
    kind: known ? 'transient' : 'unknown',
    system: args.system,
    ...(code === undefined ? {} : { vendorCode: code }),
    message: `network error${code ? ` ${code}` : ''}`,
    outcomeUnknown: isWrite && !(code !== undefined && NOT_SENT_CODES.has(code)),
    cause: args.error,
  });
}

/** A transport over one keep-alive agent per protocol; `ca` (the sandbox's) replaces the trusted roots. */
export function createHttpTransport(args: { ca?: string; system: ConnectorSystem }): HttpTransport {
  // One TLS context for every connection: given `ca` alone, each new socket built its own (the
  // CA parsed again), and a burst opens as many sockets as requests it runs at once.
  const httpsAgent = new https.Agent({ keepAlive: true, secureContext: createSecureContext(args.ca === undefined ? {} : { ca: args.ca }) });
  const httpAgent = new http.Agent({ keepAlive: true });
  return {
    send: (req) =>
      new Promise<HttpResponse>((resolve, reject) => {
        const isHttps = req.url.protocol === 'https:';
        const headers: Record<string, string> = { ...req.headers };
        if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
        let timedOut = false;
        let settled = false;
        const fail = (error: unknown): void => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          reject(networkError({ error, method: req.method, system: args.system, timedOut }));
        };
        const options: http.RequestOptions = {
          method: req.method,
          headers,
          agent: isHttps ? httpsAgent : httpAgent,
          ...(req.signal === undefined ? {} : { signal: req.signal }),
        };
        const request = (isHttps ? https.request : http.request)(req.url, options, (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          res.on('data', (c: Buffer) => {
            received += c.length;
            if (req.maxResponseBytes !== undefined && received > req.maxResponseBytes) {
              request.destroy();
              fail(Object.assign(new Error(`response larger than ${req.maxResponseBytes} bytes`), { code: 'ERESPONSETOOLARGE' }));
              return;
            }
            chunks.push(c);
          });
          res.on('error', fail);
          res.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: bytes.toString('utf8'), bytes });
          });
        });
        // A deadline for the whole exchange (headers and body). It is I/O, not logic, so it runs
        // on the real timer rather than the injected Clock.
        const deadline = setTimeout(() => {
          timedOut = true;
          request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }));
          fail(new Error('request timed out'));
        }, req.timeoutMs);
        request.on('error', fail);
        request.end(req.body);
      }),
    close: () => {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
