/**
 * The sandbox certificate authority. Real endpoints are HTTPS and some clients insist on it
 * (msal-node refuses an http authority), so the emulators serve TLS with certificates from a CA
 * made here, which the daemon trusts only when configured to (sandbox mode).
 */
import forge from 'node-forge';

export interface Pem {
  key: string;
  cert: string;
}

const DAY_MS = 86_400_000;

function serial(): string {
  return forge.util.bytesToHex(forge.random.getBytesSync(16)).replace(/^[89a-f]/, '1');
}

function build(args: {
  subject: forge.pki.CertificateField[];
  issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}): Pem {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = args.notBefore;
  cert.validity.notAfter = args.notAfter;
  cert.setSubject(args.subject);
  cert.setIssuer(args.issuer ? args.issuer.cert.subject.attributes : args.subject);
  cert.setExtensions(args.extensions);
  cert.sign(args.issuer ? args.issuer.key : keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

function load(ca: Pem): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  return { cert: forge.pki.certificateFromPem(ca.cert), key: forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey };
}

export function createSandboxCa(args: { commonName?: string; days?: number } = {}): Pem {
  const now = Date.now();
  return build({
    subject: [
      { name: 'commonName', value: args.commonName ?? 'cosell-sync sandbox CA' },
      { name: 'organizationName', value: 'cosell-sync sandbox' },
    ],
    issuer: null,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + (args.days ?? 365) * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
}

export function issueServerCert(ca: Pem, args: { hosts: string[]; days?: number }): Pem {
  const now = Date.now();
  const altNames = args.hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? { type: 7, ip: h } : { type: 2, value: h }));
  return build({
    subject: [{ name: 'commonName', value: args.hosts[0] ?? 'localhost' }],
    issuer: load(ca),
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + (args.days ?? 30) * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
}

/** A certificate for signing webhook bodies, as Partner Center's (Partner Center docs, "Partner Center webhooks"). */
export function issueSigningCert(
  ca: Pem,
  args: { commonName: string; organization: string; notBefore?: Date; notAfter?: Date },
): Pem {
  const now = Date.now();
  return build({
    subject: [
      { name: 'commonName', value: args.commonName },
      { name: 'organizationName', value: args.organization },
    ],
    issuer: load(ca),
    notBefore: args.notBefore ?? new Date(now - DAY_MS),
    notAfter: args.notAfter ?? new Date(now + 30 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
    ],
  });
}
