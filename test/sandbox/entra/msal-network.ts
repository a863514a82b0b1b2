/**
 * A msal-node network client for tests: trusts the sandbox CA and only ever talks to loopback.
 * With `rewriteCloud`, requests msal sends to login.microsoftonline.com (instance discovery) go to
 * the emulator instead — the alternative to `knownAuthorities` (msal-node refuses an `http://` authority: `authority_uri_insecure`).
 */
import https from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export function loopbackNetworkClient(args: { ca: string; emulatorOrigin: string; rewriteCloud?: boolean; seen?: string[] }): INetworkModule {
  const send = <T>(method: string, rawUrl: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const url = args.rewriteCloud ? rawUrl.replace('https://login.microsoftonline.com', args.emulatorOrigin) : rawUrl;
    args.seen?.push(`${method} ${new URL(url).pathname}`);
    if (!url.startsWith(`${args.emulatorOrigin}/`)) return Promise.reject(new Error(`test network client refuses ${url}`));
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, ca: args.ca, headers: options?.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers[name] = value;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ headers, body: (text ? JSON.parse(text) : {}) as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('error', reject);
      req.end(options?.body);
    });
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
