/**
 * A loopback webhook receiver for tests: records every delivery and answers as a plan says;
 * deliveries held ('hang') can be answered later, and connections are counted.
 */
import http from 'node:http';

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the event payload, read field by field
  json: any;
}

export async function startReceiver(plan: (attempt: number) => number | 'hang' = () => 200) {
  const got: Delivery[] = [];
  const held: http.ServerResponse[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      got.push({ headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) });
      const action = plan(got.length);
      if (action === 'hang') held.push(res);
      else res.writeHead(action).end();
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/partner-center/events`,
    got,
    /** TCP connections the sender opened so far. */
    connections: () => connections,
    /** Answers every delivery held so far with `status`. */
    answerHeld: (status: number) => {
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits (bounded) until the condition holds; the test fails on the bound, never on speed. */
export async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
