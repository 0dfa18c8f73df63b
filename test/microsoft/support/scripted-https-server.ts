import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The certificate module only, not the emulator's index: these tests do not need the emulator itself.
import { ensureCertificateAuthority, issueServerCertificate } from '../../../libs/microsoft-emulator/src/tls/certificate-authority';
import { ScriptedServer, type ScriptedResponse } from '../../support/scripted-server';

export { recordingSleep, type RecordedRequest, type Script, type ScriptedResponse } from '../../support/scripted-server';

// The CA that NODE_EXTRA_CA_CERTS points at in the test command.
const TEST_CA_DIR = join(__dirname, '..', '..', '..', '.data', 'test');
const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'microsoft');

// The shared scripted server over https with a certificate of the test CA; a route without a script answers
// Graph's error shape with 404.
export type ScriptedHttpsServer = ScriptedServer;
export const ScriptedHttpsServer = {
  // caDir: another CA than the trusted test CA, to play a server whose certificate is not trusted.
  start: (options: { caDir?: string } = {}): Promise<ScriptedHttpsServer> => {
    const ca = ensureCertificateAuthority(options.caDir ?? TEST_CA_DIR);
    const tls = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
    return ScriptedServer.start({
      tls: { key: tls.keyPem, cert: tls.certPem + ca.certPem },
      unscripted: (request) => ({
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'NoScript', message: `No script for ${request.method} ${request.url.pathname}` } }),
      }),
    });
  },
};

// Microsoft's sample bodies, byte for byte.
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function fixtureResponse(name: string, status = 200, headers: Record<string, string> = {}): ScriptedResponse {
  return { status, body: fixtureText(name), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
