import express, { type ErrorRequestHandler } from 'express';
import { serve } from '../../emulator-kit/src';
import { runInvoice, type InvoiceRunOptions, type InvoiceRunResult } from './billing/invoice-run';
import { registerControlRoutes } from './control/control.routes';
import { authenticate, enforceThreshold, injectFaults } from './http/api-hooks';
import { sendErrors, sendNoRoute } from './http/autotask-errors';
import type { FaultInput, FaultRule } from './http/fault-registry';
import { registerQueryRoutes } from './query/query.routes';
import { registerWriteRoutes } from './routes/write.routes';
import { registerThresholdRoutes, registerZoneRoutes } from './routes/zone.routes';
import { autotaskDemoScenario } from './scenario/demo.scenario';
import type { AutotaskScenario } from './scenario/scenario';
import { AutotaskState, type JournalEntry } from './state/autotask-state';
import { applySettingsPatch, type AutotaskEmulatorSettings } from './state/settings';

export interface AutotaskEmulatorOptions {
  port?: number; // 0 (default) = a free port
  host?: string; // default 127.0.0.1
  scenario?: AutotaskScenario; // default autotaskDemoScenario(), dated from the clock
  now?: () => number; // ms; default Date.now; advanceClock() / POST /__autotask/clock shift it
  settings?: Partial<AutotaskEmulatorSettings>;
}

export interface RunningAutotaskEmulator {
  url: string; // origin, e.g. http://127.0.0.1:40123
  zoneUrl: string; // the API base URL ZoneInformation answers: url + /ATServicesRest (AutotaskClient's baseUrl)
  discoveryUrl: string; // where to ask ZoneInformation (the same host here)
  journal(): JournalEntry[];
  clearJournal(): void;
  addFault(fault: FaultInput): FaultRule;
  clearFaults(): void;
  settings(patch?: Partial<AutotaskEmulatorSettings>): AutotaskEmulatorSettings;
  addUsage(requests: number): void; // requests by other integrations of the database, now
  usage(): number;
  advanceClock(seconds: number): void;
  invoiceRun(options: InvoiceRunOptions): InvoiceRunResult;
  reset(scenario?: AutotaskScenario): void; // data, settings, faults, journal, usage and clock as at start
  close(): Promise<void>;
}

// A local Autotask PSA REST API (v1.0) on plain http: zone discovery, the three auth headers and Autotask's
// refusals, /query filters and nextPageUrl paging, the hourly threshold, the billing entities, a journal of every
// write, fault injection and a simulated invoice run. Paths as Autotask's: {url}/ATServicesRest/V1.0/…
export async function startAutotaskEmulator(options: AutotaskEmulatorOptions = {}): Promise<RunningAutotaskEmulator> {
  const now = options.now ?? Date.now;
  const state = new AutotaskState(options.scenario ?? autotaskDemoScenario({ now: now() }), now, options.settings);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const control = express.Router();
  registerControlRoutes(control, state);
  app.use(control);

  const zone = express.Router();
  registerZoneRoutes(zone, state);
  const api = express.Router();
  api.use(authenticate(state), enforceThreshold(state), express.json({ type: () => true }));
  registerThresholdRoutes(api, state);
  registerQueryRoutes(api, state);
  registerWriteRoutes(api, state);
  api.use((req, res) => sendNoRoute(res, req.method, req.originalUrl, false));
  app.use('/ATServicesRest', injectFaults(state), zone, api);
  app.use((req, res) => res.status(404).json({ Message: `No HTTP resource was found that matches the request URI '${req.originalUrl}'.` }));
  app.use(errorHandler);

  const serving = await serve(app, { port: options.port, host: options.host });
  state.baseUrl = serving.url;

  return {
    url: state.baseUrl,
    zoneUrl: state.zoneUrl,
    discoveryUrl: state.zoneUrl,
    journal: () => [...state.journal],
    clearJournal: () => {
      state.journal = [];
    },
    addFault: (fault) => state.faults.addOrThrow(fault),
    clearFaults: () => state.faults.clear(),
    settings: (patch) => {
      if (patch) {
        const result = applySettingsPatch(state.settings, patch);
        if (!result.ok) throw new Error(`Invalid settings: ${result.errors.join(' ')}`);
        state.settings = result.settings;
      }
      return state.settings;
    },
    addUsage: (requests) => state.countRequest(requests),
    usage: () => state.usageCount(),
    advanceClock: (seconds) => state.advanceClock(seconds),
    invoiceRun: (invoice) => runInvoice(state, invoice),
    reset: (scenario) => state.reset(scenario),
    close: () => serving.close(),
  };
}

// Never echo bodies or secrets: Autotask's error shape with what went wrong.
const errorHandler: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
  if (error.type === 'entity.parse.failed') return sendErrors(res, 400, 'The request body is not valid JSON.');
  console.error(`autotask-emulator: ${error.message ?? 'unexpected error'}`);
  sendErrors(res, 500, 'An unexpected error occurred while processing the request.');
};
