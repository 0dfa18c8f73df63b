// A local ConnectWise PSA (Manage) for dev, tests and the demo: the documented auth, paging, conditions, validation
// errors, rate limits, fault injection, a write journal and a simulated invoice run. Not ConnectWise.
export { startConnectWiseEmulator, type ConnectWiseEmulatorOptions, type RunningConnectWiseEmulator } from './emulator';
export {
  connectWiseDemoScenario,
  DEMO_CONNECTWISE_COMPANY_KEYS,
  DEMO_CONNECTWISE_CREDENTIALS,
  DEMO_CONNECTWISE_LIMITED_MEMBER,
  DEMO_CONNECTWISE_QUIRKS,
  DEMO_PRODUCTS,
  type ConnectWiseDemoOptions,
} from './scenario/demo.scenario';
export type * from './scenario/scenario';
export { buildConnectWiseScenario, type ConnectWiseCompanySpec, type ConnectWiseScenarioOptions } from './scenario/scenario-builder';
export {
  runInvoices,
  invoiceLines,
  type InvoiceLine,
  type InvoiceLineKind,
  type InvoiceRecord,
  type InvoiceRun,
  type InvoiceRunOptions,
} from './billing/invoice-run';
export { ConnectWiseEmulatorState } from './state/emulator-state';
export type { JournalEntry } from './state/journal';
export { DEFAULT_SETTINGS as DEFAULT_CONNECTWISE_EMULATOR_SETTINGS, type ConnectWiseEmulatorSettings } from './state/settings';
export type { FaultInput, FaultKind, FaultRule } from './http/fault-registry';
export { compileConditions, ConditionsError } from './http/conditions';
