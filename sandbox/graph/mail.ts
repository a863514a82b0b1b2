/**
 * A stand-in for Microsoft Graph's `sendMail` (Microsoft Graph REST API v1.0, "user: sendMail") on
 * loopback: it keeps each message posted, so tests and the demo see the mails the daemon really
 * sent through the Graph client. Any bearer token is taken.
 */
import { createServer, type Server } from 'node:http';

export interface CaughtMail {
  subject: string;
  body: string;
  to: string[];
}

export interface MailCatcher {
  url: string;
  mails: CaughtMail[];
  /** Answer the next `n` sends with this status instead of 202. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

interface SendMailBody {
  message: { subject: string; body: { content: string }; toRecipients: { emailAddress: { address: string } }[] };
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  let failing = { n: 0, status: 503 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/\/v1\.0\/users\/[^/]+\/sendMail$/.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      if (failing.n > 0) {
        failing = { ...failing, n: failing.n - 1 };
        res.writeHead(failing.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ErrorMailboxBusy', message: 'try later' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendMailBody;
      mails.push({ subject: body.message.subject, body: body.message.body.content, to: body.message.toRecipients.map((r) => r.emailAddress.address) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    mails,
    failNext: (n, status) => {
      failing = { n, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
