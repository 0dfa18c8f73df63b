import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { generateRsaKeyPair, randomSerialNumber, setValidity, writeFileAtomically } from '../tls/certificate-authority';

export interface SigningKey {
  kid: string; // also the x5t: base64url SHA-1 thumbprint of the certificate, as Entra does
  privateKeyPem: string;
  publicKey: KeyObject;
  x5c: string; // base64 DER certificate
  n: string;
  e: string;
}

const KEY_FILE = 'token-signing.key';
const CERT_FILE = 'token-signing.crt';

// With a data directory the key survives restarts, so tokens issued before a restart still verify.
export function loadOrCreateSigningKey(dataDir?: string): SigningKey {
  if (dataDir && existsSync(join(dataDir, KEY_FILE)) && existsSync(join(dataDir, CERT_FILE))) {
    return signingKeyFrom(readFileSync(join(dataDir, KEY_FILE), 'utf8'), readFileSync(join(dataDir, CERT_FILE), 'utf8'));
  }
  const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
  const certPem = selfSignedCertificate(publicKeyPem, privateKeyPem);
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileAtomically(join(dataDir, KEY_FILE), privateKeyPem, 0o600);
    writeFileAtomically(join(dataDir, CERT_FILE), certPem, 0o644);
  }
  return signingKeyFrom(privateKeyPem, certPem);
}

function signingKeyFrom(privateKeyPem: string, certPem: string): SigningKey {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes(), 'binary');
  const publicKey = createPublicKey(privateKeyPem);
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    kid: createHash('sha1').update(der).digest('base64url'),
    privateKeyPem,
    publicKey,
    x5c: der.toString('base64'),
    n: String(jwk.n),
    e: String(jwk.e),
  };
}

// Entra publishes each signing key with a self-signed certificate (the x5c of the JWKS).
function selfSignedCertificate(publicKeyPem: string, privateKeyPem: string): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, 5 * 365);
  const subject = [{ name: 'commonName', value: 'Sync 365 Local Microsoft Emulator token signing' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
