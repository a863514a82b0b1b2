/**
 * Signs webhook bodies as Partner Center does (Partner Center docs, "Partner Center webhooks"): RSA-SHA256 over the
 * UTF-8 body, with a certificate whose Organization is "Microsoft Corporation", issued here by
 * the sandbox CA (the daemon trusts that CA only in sandbox mode).
 */
import { createSign } from 'node:crypto';
import { createSandboxCa, issueSigningCert, type Pem } from '../../shared/tls.js';

export const SIGNING_CERT_PATH = '/_certs/webhook-signing.pem';

export class WebhookSigner {
  private pem: Pem | null = null;

  constructor(private readonly source: { ca?: Pem | undefined; signing?: Pem | undefined }) {
    if (source.signing) this.pem = source.signing;
  }

  /** The signing certificate; made on first use because key generation takes a moment. */
  certificate(): Pem {
    if (!this.pem) {
      const ca = this.source.ca ?? createSandboxCa({ commonName: 'Partner Center sandbox root' });
      this.pem = issueSigningCert(ca, { commonName: 'partnercenter-webhooks.sandbox', organization: 'Microsoft Corporation' });
    }
    return this.pem;
  }

  /** Base64 RSA-SHA256 signature of the exact bytes sent. */
  sign(body: Buffer): string {
    return createSign('RSA-SHA256').update(body).sign(this.certificate().key, 'base64');
  }
}
