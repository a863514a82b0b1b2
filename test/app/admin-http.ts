/** Raw HTTP for probing the admin listener: fetch() will not send a forged Host header. */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function raw(args: { url: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(args.url, { method: args.method ?? 'GET', headers: args.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(args.body);
  });
}

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function setCookies(headers: RawResponse['headers']): Record<string, string> {
  const list = headers['set-cookie'] ?? [];
  return Object.fromEntries(
    (Array.isArray(list) ? list : [list]).map((line) => {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** Signs in through the page's form with `token`; returns the session cookie header and the page's CSRF token. */
export async function signIn(base: string, token: string): Promise<{ cookie: string; csrf: string }> {
  const form = await raw({ url: `${base}/signin` });
  const signInCsrf = hiddenField(form.body, '_csrf') ?? '';
  const posted = await raw({
    url: `${base}/signin`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cosell_signin=${setCookies(form.headers)['cosell_signin'] ?? ''}`, origin: base },
    body: new URLSearchParams({ _csrf: signInCsrf, token }).toString(),
  });
  if (posted.status !== 303) throw new Error(`sign-in answered ${posted.status}: ${posted.body}`);
  const cookie = `cosell_session=${setCookies(posted.headers)['cosell_session'] ?? ''}`;
  const page = await raw({ url: `${base}/`, headers: { cookie } });
  return { cookie, csrf: hiddenField(page.body, '_csrf') ?? '' };
}

/**
 * Posts to `base` + `path` a body that trickles in one byte every 200 ms (never idle, never done)
 * and waits up to 8 s for the server to close the connection.
 */
export async function trickledPost(args: { base: string; path: string; headers?: Record<string, string> }): Promise<{ closed: boolean; ms: number; statusLine: string }> {
  const { hostname, port } = new URL(args.base);
  const socket = connect({ host: hostname, port: Number(port) });
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (answer += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<'closed'>((resolve) => socket.on('close', () => resolve('closed')));
  const sent = Date.now();
  const headers = Object.entries({ Host: hostname, ...args.headers, 'Content-Type': 'application/json', 'Content-Length': '60000' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`POST ${args.path} HTTP/1.1\r\n${headers}\r\n{`);
  const drip = setInterval(() => socket.writable && socket.write(' '), 200);
  let bound: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([closed, new Promise<'still open'>((resolve) => (bound = setTimeout(() => resolve('still open'), 8_000)))]);
  const ms = Date.now() - sent;
  clearTimeout(bound);
  clearInterval(drip);
  socket.destroy();
  return { closed: outcome === 'closed', ms, statusLine: answer.split('\r\n')[0] ?? '' };
}
