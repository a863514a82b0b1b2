/**
 * A msal-node `system.networkClient` on node:https with a timeout, which remembers the code of
 * its last failure without an answer: msal reports any of them as `endpoints_resolution_error`,
 * and the caller wants to say when it was an untrusted certificate (a private CA not named in
 * NODE_EXTRA_CA_CERTS).
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export function createMsalHttpsNetwork(args: { timeoutMs: number; ca?: string | null }): INetworkModule & { close(): void; lastFailureCode(): string | null } {
  // An extra CA (the sandbox's) is trusted next to the public roots, never instead of them.
  const agent = new https.Agent({ keepAlive: true, ...(args.ca ? { ca: [...rootCertificates, args.ca] } : {}) });
  let lastFailure: string | null = null;
  const send = <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, { method, agent, headers: options?.headers ?? {}, timeout: timeoutMs ?? args.timeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('error', reject);
        res.on('end', () => {
          lastFailure = null;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers[name] = value;
          try {
            resolve({ status: res.statusCode ?? 0, headers, body: (text === '' ? {} : JSON.parse(text)) as T });
          } catch {
            reject(new Error(`token service answered ${res.statusCode ?? 0} with a body that is not JSON`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('token service did not answer in time')));
      req.on('error', (error: Error & { code?: unknown }) => {
        lastFailure = typeof error.code === 'string' ? error.code : 'UNKNOWN';
        reject(error);
      });
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    close: () => agent.destroy(),
    lastFailureCode: () => lastFailure,
  };
}
