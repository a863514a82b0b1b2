/**
 * msal-node's `system.networkClient` over node:https / node:http. msal refuses an `http://`
 * authority (`authority_uri_insecure`), so against the sandbox either the authority is served over
 * TLS with the sandbox CA (`ca`), or the real authority URL is kept and `rewrite` sends its
 * requests to the local token service.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { createHttpTransport } from '../http.js';
import type { HttpTransport } from '../http.js';

/** How msal reaches the token service: extra CA, or a rewrite of the authority origin. */
export interface MsalNetworkOptions {
  /** PEM bundle to trust in addition to the system roots (the sandbox CA). */
  ca?: string;
  /** Sends requests for `from` (an origin such as `https://login.microsoftonline.com`) to `to`. */
  rewrite?: { from: string; to: string };
  timeoutMs?: number;
  transport?: HttpTransport;
}

/** The URL a request for `url` really goes to (unchanged unless its origin is `rewrite.from`). */
export function rewriteUrl(url: string, rewrite: MsalNetworkOptions['rewrite']): URL {
  const target = new URL(url);
  if (rewrite === undefined) return target;
  const from = new URL(rewrite.from);
  if (target.origin !== from.origin) return target;
  const to = new URL(rewrite.to);
  const prefix = to.pathname.replace(/\/+$/, '');
  return new URL(`${to.origin}${prefix}${target.pathname}${target.search}`);
}

/** The OAuth error body of the token service's last refusal (msal's device-code client drops its description). */
export interface HeardRefusal {
  error?: string;
  error_description?: string;
}

export type MsalNetworkClient = INetworkModule & {
  close(): void;
  /** What the token service said when it last refused a request, or null. */
  lastRefusal(): HeardRefusal | null;
};

const isRefusal = (body: unknown): body is HeardRefusal =>
  typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';

/** An msal `INetworkModule` on node:http(s); `close()` ends its keep-alive sockets. */
export function createMsalNetworkClient(options: MsalNetworkOptions = {}): MsalNetworkClient {
  let heard: HeardRefusal | null = null;
  const transport = options.transport ?? createHttpTransport({ system: 'partnerCenter', ...(options.ca === undefined ? {} : { ca: options.ca }) });
  const send = async <T>(method: 'GET' | 'POST', url: string, req: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await transport.send({
      method,
      url: rewriteUrl(url, options.rewrite),
      headers: { ...req?.headers },
      timeoutMs: timeout ?? options.timeoutMs ?? 30_000,
      ...(req?.body === undefined ? {} : { body: req.body }),
    });
    let body: unknown;
    try {
      body = res.body === '' ? {} : JSON.parse(res.body);
    } catch {
      throw new Error(`token service answered ${res.status} with a body that is not JSON`);
    }
    // A pending device code is not a refusal; anything else with an `error` is, kept for the message.
    if (isRefusal(body) && body.error !== 'authorization_pending') heard = { ...body };
    return { status: res.status, headers: res.headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, req, timeout) => send('GET', url, req, timeout),
    sendPostRequestAsync: (url, req) => send('POST', url, req),
    close: () => transport.close(),
    lastRefusal: () => heard,
  };
}
