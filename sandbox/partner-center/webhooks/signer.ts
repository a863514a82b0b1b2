/**
 * Signs webhook bodies as Partner Center does (Partner Center docs, "Partner Center webhooks"): RSA-SHA256 over the
 * UTF-8 body, with a certificate whose Organization is "Microsoft Corporation", issued here by
 * the sandbox CA (the daemon trusts that CA only in sandbox mode).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { createSandboxCa, issueSigningCert, type Pem } from '../../shared/tls.js';

export const SIGNING_CERT_PATH = '/_certs/webhook-signing.pem';

export class WebhookSigner {
  private pem: Pem | null = null;
  /** The private key parsed once: parsing the PEM for every body doubled the cost of a signature. */
  private key: KeyObject | null = null;

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
    return sign('sha256', body, this.privateKey()).toString('base64');
  }

  /** The same signature, computed on libuv's thread pool so a burst does not stall the emulator's API. */
  signAsync(body: Buffer): Promise<string> {
    const key = this.privateKey();
    return new Promise((resolve, reject) => sign('sha256', body, key, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64')))));
  }

  private privateKey(): KeyObject {
    this.key ??= createPrivateKey(this.certificate().key);
    return this.key;
  }
}
