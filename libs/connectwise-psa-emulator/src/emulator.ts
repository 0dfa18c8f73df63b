import express, { type ErrorRequestHandler } from 'express';
import { serve } from '../../emulator-kit/src';
import { runInvoices, type InvoiceRun, type InvoiceRunOptions } from './billing/invoice-run';
import { registerControlRoutes } from './control/control.routes';
import { authenticate } from './http/api-auth';
import { countAndDelay, injectFaults, rateLimit } from './http/api-hooks';
import { CW_ERRORS, sendCwError, sendFrom } from './http/cw-error';
import type { FaultInput, FaultRule } from './http/fault-registry';
import { registerApiRoutes } from './routes/api.routes';
import { connectWiseDemoScenario, DEMO_CONNECTWISE_CREDENTIALS } from './scenario/demo.scenario';
import type { ConnectWiseScenario } from './scenario/scenario';
import { ConnectWiseEmulatorState } from './state/emulator-state';
import type { JournalEntry } from './state/journal';
import { applySettingsPatch, DEFAULT_SETTINGS, type ConnectWiseEmulatorSettings } from './state/settings';

export interface ConnectWiseEmulatorOptions {
  port?: number; // 0 (default) = a free port
  host?: string; // default 127.0.0.1
  scenario?: ConnectWiseScenario | 'demo'; // default: the demo, dated from today
  now?: () => number; // the clock (ms); POST /__emulator/clock shifts it
  settings?: Partial<ConnectWiseEmulatorSettings>;
  dataDir?: string; // keeps the world across restarts (connectwise-state.json); omitted = memory only
}

export interface RunningConnectWiseEmulator {
  // The "site" (what a partner types, like https://na.myconnectwise.net): /login/companyinfo and the API live here.
  url: string;
  // https://…/v4_6_release/apis/3.0: what the client builds from the site and the codebase.
  apiBaseUrl: string;
  // The demo's API member (only when the demo scenario is loaded).
  credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string } | undefined;
  state: ConnectWiseEmulatorState;
  journal(options?: { since?: number; appliedOnly?: boolean }): JournalEntry[];
  addFault(rule: FaultInput): FaultRule;
  clearFaults(): void;
  updateSettings(patch: Partial<ConnectWiseEmulatorSettings>): ConnectWiseEmulatorSettings;
  runInvoices(options?: InvoiceRunOptions): InvoiceRun;
  reset(): void;
  close(): Promise<void>;
}

// A local ConnectWise PSA over plain http (the client needs no TLS: the site URL is configurable).
export async function startConnectWiseEmulator(options: ConnectWiseEmulatorOptions = {}): Promise<RunningConnectWiseEmulator> {
  const now = options.now ?? Date.now;
  const scenario =
    options.scenario === undefined || options.scenario === 'demo' ? connectWiseDemoScenario({ now: now() }) : options.scenario;
  const patched = applySettingsPatch(DEFAULT_SETTINGS, options.settings ?? {});
  if (!patched.ok) throw new Error(`Invalid ConnectWise emulator settings: ${patched.errors.join(' ')}`);
  const state = new ConnectWiseEmulatorState(scenario, patched.settings, now, options.dataDir);
  const codebase = scenario.codebase.replace(/^\/+|\/+$/g, '');
  const apiPrefix = `/${codebase}/apis/3.0`;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const control = express.Router();
  registerControlRoutes(control, state);
  app.use(control);

  // GET /login/companyinfo/{companyId} (PYCW): no credentials. An unknown company id answers 404 (assumed).
  app.get(
    '/login/companyinfo/:company',
    countAndDelay(state, (path) => path),
    injectFaults(state),
    (req, res) => {
      if (String(req.params.company).toLowerCase() !== scenario.companyId.toLowerCase()) return sendFrom(res, CW_ERRORS.routeNotFound);
      res.json({
        CompanyName: scenario.companyName,
        Codebase: scenario.codebase,
        VersionCode: 'v2025.1',
        VersionNumber: 'v4.6.2025.1',
        CompanyID: scenario.companyId,
        IsCloud: false,
        SiteUrl: new URL(state.baseUrl).host,
      });
    },
  );

  const api = express.Router();
  registerApiRoutes(api, state);
  app.use(
    apiPrefix,
    countAndDelay(state, (path) => path),
    injectFaults(state),
    authenticate(state),
    rateLimit(state),
    api,
  );
  app.use((req, res) => sendFrom(res, CW_ERRORS.routeNotFound));
  app.use(errorHandler);

  const serving = await serve(app, { port: options.port, host: options.host });
  state.baseUrl = serving.url;
  const demo = scenario.apiMembers.some((member) => member.publicKey === DEMO_CONNECTWISE_CREDENTIALS.publicKey);

  return {
    url: state.baseUrl,
    apiBaseUrl: `${state.baseUrl}${apiPrefix}`,
    credentials: demo ? { ...DEMO_CONNECTWISE_CREDENTIALS } : undefined,
    state,
    journal: (journalOptions = {}) =>
      journalOptions.appliedOnly ? state.journal.applied(journalOptions.since) : state.journal.list(journalOptions.since),
    addFault: (rule) => state.faults.addOrThrow(rule),
    clearFaults: () => state.faults.clear(),
    updateSettings: (patch) => {
      const result = applySettingsPatch(state.settings, patch);
      if (!result.ok) throw new Error(`Invalid settings: ${result.errors.join(' ')}`);
      state.settings = result.settings;
      return state.settings;
    },
    runInvoices: (runOptions) => runInvoices(state, runOptions),
    reset: () => state.reset(),
    close: () => serving.close(),
  };
}

// Never echo request bodies or keys: only the failure, in ConnectWise's shape.
const errorHandler: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
  if (res.headersSent) return;
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) {
    console.error(`connectwise-psa-emulator: ${error.message ?? 'unexpected error'}`);
    return sendFrom(res, CW_ERRORS.server);
  }
  sendCwError(
    res,
    status,
    'BadRequest',
    error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : 'The request is invalid.',
  );
};
