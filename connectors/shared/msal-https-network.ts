/**
 * A msal-node `system.networkClient` on node:https that can trust a private CA. msal refuses
 * `http://` authorities (toolchain pitfall 13), so a sandbox token service is served over TLS
 * with the sandbox CA, which msal's default client does not trust.
 */
import https from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export function createMsalHttpsNetwork(args: { ca?: string | undefined; timeoutMs: number }): INetworkModule & { close(): void } {
  const agent = new https.Agent({ keepAlive: true, ...(args.ca === undefined ? {} : { ca: args.ca }) });
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
      req.on('error', reject);
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    close: () => agent.destroy(),
  };
}
