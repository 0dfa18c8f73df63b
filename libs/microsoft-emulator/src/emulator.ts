import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { registerControlRoutes } from './control/control.routes';
import { registerGraphRoutes } from './graph/graph.routes';
import { countRequests } from './http/request-counter';
import { registerIdentityRoutes } from './identity/identity.routes';
import { loadOrCreateSigningKey } from './identity/signing-key';
import { demoScenario } from './scenario/demo.scenario';
import type { AppRegistration, Scenario } from './scenario/scenario';
import { EmulatorState } from './state/emulator-state';
import { issueServerCertificate, type CertificateAuthority } from './tls/certificate-authority';

export interface EmulatorOptions {
  ca: CertificateAuthority;
  port?: number; // 0 (default) = a free port
  host?: string; // default 127.0.0.1
  scenario?: Scenario; // default demoScenario()
  apps: AppRegistration[];
  dataDir?: string; // keeps the signing key and mutable state across restarts; omitted = memory only
  now?: () => number; // ms; default Date.now; POST /__emulator/clock shifts it
  refreshTokenInactivitySeconds?: number; // default 90 days, Entra's default
}

export interface RunningEmulator {
  url: string; // e.g. https://127.0.0.1:40123, no trailing slash
  close(): Promise<void>;
}

const NINETY_DAYS_SECONDS = 90 * 24 * 60 * 60;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const state = new EmulatorState({
    scenario: options.scenario ?? demoScenario(),
    apps: options.apps,
    signingKey: loadOrCreateSigningKey(options.dataDir),
    dataDir: options.dataDir,
    now: options.now ?? Date.now,
    refreshTokenInactivitySeconds: options.refreshTokenInactivitySeconds ?? NINETY_DAYS_SECONDS,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(countRequests(state));
  // One router, like one host: login.microsoftonline.com paths, Graph's /v1.0, the control API.
  const router = express.Router();
  registerControlRoutes(router, state);
  registerGraphRoutes(router, state);
  registerIdentityRoutes(router, state);
  app.use(router);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `The local Microsoft emulator has no route for ${req.method} ${req.path}.` });
  });
  app.use(errorHandler);

  const tls = issueServerCertificate(options.ca, ['localhost', '127.0.0.1', '::1']);
  const server = createServer({ key: tls.keyPem, cert: tls.certPem + options.ca.certPem }, app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `https://${publicHost(host)}:${port}`;

  return {
    url: state.baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Drop keep-alive sockets too, or close() waits for clients to hang up.
        server.closeAllConnections();
      }),
  };
}

function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

// Never echo request bodies or tokens: only the message of the failure.
const errorHandler: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error(`microsoft-emulator: ${error.message ?? 'unexpected error'}`);
  res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: error.type ?? 'Request failed.' });
};
