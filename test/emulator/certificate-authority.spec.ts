import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificateAuthority, issueServerCertificate } from '../../libs/microsoft-emulator/src';

describe('emulator certificate authority', () => {
  let dir: string;

  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'emulator-ca-')), 'nested', 'ca');
  });

  afterAll(() => {
    rmSync(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('creates a self-signed CA once, with a private key only its owner can read', () => {
    const ca = ensureCertificateAuthority(dir);
    const cert = new X509Certificate(ca.certPem);

    expect(ca.certPath).toBe(join(dir, 'emulator-ca.crt'));
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=Sync 365 Local Microsoft Emulator CA');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validTo).getFullYear() - new Date().getFullYear()).toBeGreaterThanOrEqual(9);
    expect(statSync(join(dir, 'emulator-ca.key')).mode & 0o777).toBe(0o600);
  });

  it('loads the existing CA instead of creating a new one', () => {
    const first = ensureCertificateAuthority(dir);
    const second = ensureCertificateAuthority(dir);

    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('issues a server certificate for localhost and the loopback addresses, signed by the CA', () => {
    const ca = ensureCertificateAuthority(dir);
    const leaf = issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1']);
    const cert = new X509Certificate(leaf.certPem);
    const caCert = new X509Certificate(ca.certPem);

    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });
});
