import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  certPath: string;
}

const CA_COMMON_NAME = 'Sync 365 Local Microsoft Emulator CA';
const DAY_MS = 24 * 60 * 60 * 1000;

// Creates the local CA once and reuses it afterwards: the app process trusts it through
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up, so it must not change between runs.
export function ensureCertificateAuthority(dir: string): CertificateAuthority {
  const certPath = join(dir, 'emulator-ca.crt');
  const keyPath = join(dir, 'emulator-ca.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath };
  }

  mkdirSync(dir, { recursive: true });
  const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, 10 * 365);
  const subject = [{ name: 'commonName', value: CA_COMMON_NAME }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);

  // Key first, certificate last: a reader that sees the certificate also finds its key.
  writeFileAtomically(keyPath, privateKeyPem, 0o600);
  writeFileAtomically(certPath, certPem, 0o644);
  return { certPem, keyPem: privateKeyPem, certPath };
}

// Leaf certificate for the emulator's https server; kept in memory only.
export function issueServerCertificate(ca: CertificateAuthority, hosts: string[]): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, 365);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      // type 7 = iPAddress, type 2 = dNSName (RFC 5280 GeneralName)
      altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

// node:crypto generates RSA keys natively; forge's own generator is pure JS and slow.
export function generateRsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01; // DER INTEGER: keep it positive and non-zero
  return bytes.toString('hex');
}

export function setValidity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  // Backdated a day so a machine whose clock is slightly behind still accepts it.
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}

export function writeFileAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}
