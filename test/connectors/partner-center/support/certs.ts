/** Test PKI made with node-forge (keys from node:crypto, which is much faster than forge's keygen). */
import { generateKeyPairSync, createSign } from 'node:crypto';
import forge from 'node-forge';

export interface Issued {
  certPem: string;
  keyPem: string;
}

// 1024-bit keys keep the test PKI fast (forge signs in JavaScript); the checks do not depend on size.
function keyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey: forge.pki.privateKeyFromPem(keyPem),
    keyPem,
  };
}

let serial = 1;

export function issue(args: {
  subject: { CN: string; O?: string };
  issuer?: Issued;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}): Issued {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = args.notBefore ?? new Date('2024-01-01T00:00:00Z');
  cert.validity.notAfter = args.notAfter ?? new Date('2030-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: args.subject.CN }, ...(args.subject.O ? [{ name: 'organizationName', value: args.subject.O }] : [])];
  cert.setSubject(attrs);
  const issuerCert = args.issuer ? forge.pki.certificateFromPem(args.issuer.certPem) : null;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes.map((a) => ({ name: a.name, value: a.value })) : attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: args.ca ?? false },
  ]);
  const signingKey = args.issuer ? forge.pki.privateKeyFromPem(args.issuer.keyPem) : keys.privateKey;
  cert.sign(signingKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

export function sign(body: string, keyPem: string): string {
  return createSign('sha256').update(Buffer.from(body, 'utf8')).sign(keyPem).toString('base64');
}
