/**
 * What a test needs to post to the daemon's webhook listener as Partner Center does: a CA the
 * daemon trusts (sandbox mode), a signing certificate served over HTTPS from 127.0.0.1 (counting
 * downloads; paths under /hang/ never answer), signed posts, and a Partner Center that knows no
 * referral (each read answered 404 at once, so the work an event starts ends quickly).
 */
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';

import { WebhookSigner } from '../../sandbox/partner-center/webhooks/signer.js';
import { createSandboxCa, issueServerCert, type Pem } from '../../sandbox/shared/tls.js';
import { adminYaml } from './admin-daemon.js';

export interface CertificateServer {
  /** `https://127.0.0.1:port` */
  base: string;
  /** Requests per path, in arrival order. */
  downloads: string[];
  /** Most downloads that were open at one time. */
  peakOpen(): number;
  close(): Promise<void>;
}

export async function serveCertificate(args: { ca: Pem; signer: WebhookSigner }): Promise<CertificateServer> {
  const tls = issueServerCert(args.ca, { hosts: ['127.0.0.1'] });
  const downloads: string[] = [];
  const held: ServerResponse[] = [];
  let open = 0;
  let peak = 0;
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    downloads.push(req.url ?? '');
    open += 1;
    peak = Math.max(peak, open);
    res.on('close', () => (open -= 1));
    if ((req.url ?? '').startsWith('/hang/')) return void held.push(res);
    res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(args.signer.certificate().cert);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    base: `https://127.0.0.1:${port}`,
    downloads,
    peakOpen: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Partner Center payload for `referralId`, changed at `changedAt`. */
export function referralEvent(referralId: string, changedAt: Date): string {
  return JSON.stringify({
    EventName: 'referral-updated',
    ResourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${referralId}`,
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: changedAt.toISOString().replace(/Z$/, '+00:00'),
  });
}

/** Answers every request `answer.status` (404 unless a test says otherwise) and lists the paths asked for. */
async function partnerCenterWithoutReferrals(answer: { status: number }): Promise<{ base: string; reads: string[]; server: Server }> {
  const reads: string[] = [];
  const server = createHttpServer((req, res) => {
    reads.push(req.url ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{"error":"not here"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { base: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`, reads, server };
}

export interface WebhookRig {
  ca: Pem;
  signer: WebhookSigner;
  certificates: CertificateServer;
  /** Paths the daemon read from Partner Center. */
  partnerCenterReads: string[];
  /** What Partner Center answers every read from now on (404 at first; 503 makes the daemon retry). */
  partnerCenterAnswers(status: number): void;
  /** The daemon configuration: sandbox mode trusting `ca`, certificates from 127.0.0.1, the Partner Center above. */
  yaml(webhooksExtra?: string): string;
  /** Posts `body` signed, naming the certificate at `certificatePath`. */
  post(args: { url: string; body: string; contentType?: string; certificatePath?: string }): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function webhookRig(): Promise<WebhookRig> {
  const ca = createSandboxCa();
  const signer = new WebhookSigner({ ca });
  const certificates = await serveCertificate({ ca, signer });
  const answer = { status: 404 };
  const partnerCenter = await partnerCenterWithoutReferrals(answer);
  return {
    ca,
    signer,
    certificates,
    partnerCenterReads: partnerCenter.reads,
    partnerCenterAnswers: (status) => void (answer.status = status),
    yaml: (webhooksExtra = '') =>
      `sandbox: { enabled: true, caFile: ca.pem }\n${adminYaml()
        .replace('webhooks: { enabled: true }', `baseUrl: ${partnerCenter.base}/v1.0/engagements/referrals\n  webhooks: { enabled: true, certificateHostAllowList: ['127.0.0.1']${webhooksExtra} }`)}`,
    post: async ({ url, body, contentType = 'application/json', certificatePath = '/signing.pem' }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          authorization: `Signature ${signer.sign(Buffer.from(body, 'utf8'))}`,
          'x-ms-certificate-url': `${certificates.base}${certificatePath}`,
          'x-ms-signature-algorithm': 'rsa-sha256',
        },
        body,
      });
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      return { status: response.status, json };
    },
    close: async () => {
      partnerCenter.server.closeAllConnections();
      await new Promise((resolve) => partnerCenter.server.close(resolve));
      await certificates.close();
    },
  };
}
