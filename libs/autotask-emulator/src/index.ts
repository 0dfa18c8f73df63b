// A local Autotask PSA (REST v1.0) for tests, the demo and benchmarks; see README.md.
export { startAutotaskEmulator, type AutotaskEmulatorOptions, type RunningAutotaskEmulator } from './emulator';
export {
  autotaskDemoScenario,
  buildAutotaskScenario,
  AUTOTASK_SERVICE_CATALOGUE,
  type AutotaskCustomerSpec,
  AUTOTASK_DEMO_COMPANY_WITHOUT_CONTRACT,
  AUTOTASK_DEMO_CREDENTIALS,
  AUTOTASK_DEMO_CUSTOMERS,
  AUTOTASK_DEMO_IDS,
  AUTOTASK_DEMO_MISSING_SERVICE,
  AUTOTASK_READ_ONLY_CREDENTIALS,
} from './scenario/demo.scenario';
export type * from './scenario/scenario';
export type { InvoiceLine, InvoiceRunOptions, InvoiceRunResult } from './billing/invoice-run';
export type { JournalEntry } from './state/autotask-state';
export type { AutotaskEmulatorSettings } from './state/settings';
export type { FaultInput, FaultKind, FaultRule } from './http/fault-registry';
