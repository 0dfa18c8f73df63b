import { ensureCertificateAuthority } from '../tls/certificate-authority';

// Run before jest so NODE_EXTRA_CA_CERTS can point at the CA when the test process starts.
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node dist/libs/microsoft-emulator/src/cli/ensure-ca.js <dir>');
  process.exit(2);
}
console.log(ensureCertificateAuthority(dir).certPath);
