import express, { type ErrorRequestHandler } from 'express';
import { serve } from '../../emulator-kit/src';
import { registerControlRoutes } from './control/control.routes';
import { graphErrorFor, sendGraphError } from './graph/graph-error';
import { registerGraphRoutes } from './graph/graph.routes';
import { injectFaults } from './http/faults';
import { Realism, realisticLatency, type RealismOptions } from './http/realism';
import { countRequests } from './http/request-counter';
import { withRouteHooks } from './http/route-hooks';
import { registerIdentityRoutes } from './identity/identity.routes';
import { loadOrCreateSigningKey } from './identity/signing-key';
import { FAULTS, sendApiFault } from './partner-center/api-fault';
import { registerPartnerCenterRoutes } from './partner-center/partner-center.routes';
import { demoScenario } from './scenario/demo.scenario';
import type { AppRegistration, Scenario } from './scenario/scenario';
import { applySettingsPatch, DEFAULT_SETTINGS, type EmulatorSettings, type ThrottleLimit } from './state/emulator-settings';
import { EmulatorState } from './state/emulator-state';
import { issueServerCertificate, type CertificateAuthority } from './tls/certificate-authority';

export interface EmulatorOptions {
  ca: CertificateAuthority;
  port?: number; // 0 (default) = a free port
  host?: string; // default 127.0.0.1
  scenario?: Scenario; // default demoScenario(), dated from today
  apps: AppRegistration[];
  dataDir?: string; // keeps the signing key, identity state and scenario changes across restarts; omitted = memory only
  now?: () => number; // ms; default Date.now; POST /__emulator/clock shifts it
  refreshTokenInactivitySeconds?: number; // default 90 days, Entra's default
  // Requests per window per partner tenant (Partner Center) or tenant (Graph) and endpoint group.
  throttling?: { partnerCenter?: Partial<ThrottleLimit>; graph?: Partial<ThrottleLimit> };
  partnerCenter?: { nextLinkPrefix?: '/v1' | ''; mfaRefusal?: '900421' | 'legacy' };
  // Benchmarks only: latency on every answer and Microsoft's documented throttling instead of `throttling`.
  realism?: RealismOptions;
}

export interface RunningEmulator {
  url: string; // e.g. https://127.0.0.1:40123, no trailing slash
  close(): Promise<void>;
}

const NINETY_DAYS_SECONDS = 90 * 24 * 60 * 60;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const now = options.now ?? Date.now;
  const state = new EmulatorState({
    scenario: options.scenario ?? demoScenario({ now: now() }),
    apps: options.apps,
    signingKey: loadOrCreateSigningKey(options.dataDir),
    dataDir: options.dataDir,
    now,
    refreshTokenInactivitySeconds: options.refreshTokenInactivitySeconds ?? NINETY_DAYS_SECONDS,
    settings: settingsFrom(options),
  });
  if (options.realism) state.realism = new Realism(options.realism);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // One router, like one host: login.microsoftonline.com paths, Partner Center's /v1, Graph's /v1.0 and the
  // control API. Microsoft's routes get the hooks that count requests and inject faults; the control API not.
  const router = express.Router();
  registerControlRoutes(router, state);
  // Subscriptions renew and 202-accepted changes complete as the emulator clock passes their time.
  const settleCommerce: express.RequestHandler = (_req, _res, next) => {
    state.settleCommerce();
    next();
  };
  const microsoft = withRouteHooks(router, [
    countRequests(state),
    realisticLatency(() => state.realism),
    settleCommerce,
    injectFaults(state),
  ]);
  registerPartnerCenterRoutes(microsoft, state);
  registerGraphRoutes(microsoft, state);
  registerIdentityRoutes(microsoft, state);
  app.use(router);
  app.use((req, res) => {
    if (req.path.startsWith('/v1/'))
      return sendApiFault(req, res, { status: 404, code: 1000, description: `Not found: ${req.method} ${req.path}.` });
    if (req.path.startsWith('/v1.0/')) {
      const segment = req.path.split('/').filter(Boolean).pop() ?? '';
      return sendGraphError(state, req, res, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    }
    res
      .status(404)
      .json({ error: 'not_found', error_description: `The local Microsoft emulator has no route for ${req.method} ${req.path}.` });
  });
  app.use(errorHandlerFor(state));

  const tls = issueServerCertificate(options.ca, ['localhost', '127.0.0.1', '::1']);
  const serving = await serve(app, {
    port: options.port,
    host: options.host,
    tls: { key: tls.keyPem, cert: tls.certPem + options.ca.certPem },
  });
  state.baseUrl = serving.url;

  return {
    url: state.baseUrl,
    close: async () => {
      state.flush();
      await serving.close();
    },
  };
}

function settingsFrom(options: EmulatorOptions): EmulatorSettings {
  const patched = applySettingsPatch(DEFAULT_SETTINGS, {
    partnerCenter: {
      ...options.partnerCenter,
      ...(options.throttling?.partnerCenter ? { throttle: options.throttling.partnerCenter } : {}),
    },
    graph: options.throttling?.graph ? { throttle: options.throttling.graph } : {},
  });
  if (!patched.ok) throw new Error(`Invalid emulator options: ${patched.errors.join(' ')}`);
  return patched.settings;
}

// Never echo request bodies or tokens: only the message of the failure, in the shape of the service.
function errorHandlerFor(state: EmulatorState): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) console.error(`microsoft-emulator: ${error.message ?? 'unexpected error'}`);
    if (res.headersSent) return;
    const detail = error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : (error.type ?? 'Request failed.');
    if (req.path.startsWith('/v1/'))
      return sendApiFault(
        req,
        res,
        status === 500 ? { status, code: 800003, description: 'Unexpected service error.' } : FAULTS.invalidInput(detail),
      );
    if (req.path.startsWith('/v1.0/'))
      return sendGraphError(state, req, res, status, graphErrorFor(status)[0], status === 500 ? graphErrorFor(500)[1] : detail);
    res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: detail });
  };
}
