/**
 * The HTTP transport handed to jsforce for every call. jsforce's own transport (node-fetch)
 * retries 429/5xx with real sleeps, cannot take a private CA and hides the HTTP status from
 * the error it throws; this one does a single plain request (retries belong to withRetry),
 * honours `ca`, `timeoutMs` and the caller's AbortSignal, and reports what it saw.
 */
import http from 'node:http';
import https from 'node:https';
import { PassThrough } from 'node:stream';
import { parseLimitInfoHeader, type ApiUsage } from './budget.js';

/** The request jsforce passes to a transport. */
export interface JsforceHttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface JsforceHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** jsforce awaits the result and also asks it for a stream (unused for JSON calls). */
export type TransportPromise = Promise<JsforceHttpResponse> & { stream(): PassThrough };

export interface JsforceTransport {
  httpRequest(request: JsforceHttpRequest): TransportPromise;
}

/** What one logical call saw on the wire, for classification and logging. */
export interface CallObservation {
  lastStatus: number | null;
  sessionExpiredCount: number;
  /** Set when a request may have reached the server but no answer came (timeout, reset). */
  noAnswer: boolean;
  /** From the last response's `Sforce-Limit-Info`. */
  apiUsage: ApiUsage | null;
  /** The last response's `Retry-After` header, as sent. */
  retryAfter: string | null;
}

/** A fresh observation for one logical call. */
export const newObservation = (): CallObservation => ({ lastStatus: null, sessionExpiredCount: 0, noAnswer: false, apiUsage: null, retryAfter: null });

export interface TransportSettings {
  timeoutMs: number;
  /** Present when a private CA was configured. */
  httpsAgent: https.Agent | undefined;
}

export function createTransportSettings(args: { timeoutMs: number; ca: string | undefined }): TransportSettings {
  return {
    timeoutMs: args.timeoutMs,
    httpsAgent: args.ca === undefined ? undefined : new https.Agent({ ca: args.ca, keepAlive: true }),
  };
}

/**
 * A transport for one logical call. A second 401 within the same call is passed to jsforce as a
 * plain error status so jsforce throws `INVALID_SESSION_ID` instead of refreshing again: one
 * refresh per call, a bounded token refresh (jsforce alone would loop).
 */
export function createCallTransport(args: {
  settings: TransportSettings;
  observation: CallObservation;
  signal: AbortSignal | undefined;
}): JsforceTransport {
  const { settings, observation, signal } = args;
  return {
    httpRequest(request) {
      const promise = send({ request, settings, signal }).then(
        (response) => {
          observation.lastStatus = response.statusCode;
          observation.apiUsage = parseLimitInfoHeader(response.headers['sforce-limit-info']) ?? observation.apiUsage;
          observation.retryAfter = response.headers['retry-after'] ?? null;
          if (response.statusCode !== 401) return response;
          observation.sessionExpiredCount += 1;
          return observation.sessionExpiredCount > 1 ? { ...response, statusCode: 400 } : response;
        },
        (error: unknown) => {
          observation.noAnswer = true;
          throw error;
        },
      );
      return Object.assign(promise, { stream: () => new PassThrough() });
    },
  };
}

function send(args: {
  request: JsforceHttpRequest;
  settings: TransportSettings;
  signal: AbortSignal | undefined;
}): Promise<JsforceHttpResponse> {
  const { request, settings, signal } = args;
  const httpsAgent = settings.httpsAgent;
  const target = new URL(request.url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: request.method,
        headers: request.headers ?? {},
        timeout: settings.timeoutMs,
        ...(signal ? { signal } : {}),
        ...(httpsAgent && target.protocol === 'https:' ? { agent: httpsAgent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ statusCode: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${settings.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    if (request.body !== undefined && request.body !== '') req.write(request.body);
    req.end();
  });
}

/** A plain form POST for the token endpoint (same CA and timeout as the API calls). */
export async function postForm(args: {
  url: string;
  form: Record<string, string>;
  settings: TransportSettings;
  headers?: Record<string, string>;
}): Promise<JsforceHttpResponse> {
  return send({
    request: {
      method: 'POST',
      url: args.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...args.headers },
      body: new URLSearchParams(args.form).toString(),
    },
    settings: args.settings,
    signal: undefined,
  });
}
