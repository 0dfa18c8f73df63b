import { RateLimiter } from '../http/rate-limiter';
import { FaultRegistry } from '../http/fault-registry';
import type { InvoiceRecord, InvoiceRun } from '../billing/invoice.types';
import type { AdditionRecord, AgreementRecord, ApiMember, CatalogItemRecord, CompanyRecord, ConnectWiseScenario } from '../scenario/scenario';
import { Journal } from './journal';
import { DEFAULT_SETTINGS, type ConnectWiseEmulatorSettings } from './settings';

// Everything the emulator holds: the world (a working copy of the scenario), the write journal, invoice runs,
// faults, rate-limit windows, settings and the clock offset. reset() goes back to the loaded scenario.
export class ConnectWiseEmulatorState {
  scenario: ConnectWiseScenario;
  companies: CompanyRecord[] = [];
  catalog: CatalogItemRecord[] = [];
  agreements: AgreementRecord[] = [];
  additions: AdditionRecord[] = [];
  invoices: InvoiceRecord[] = [];
  invoiceRuns: InvoiceRun[] = [];
  readonly journal = new Journal();
  readonly faults = new FaultRegistry();
  readonly limiter = new RateLimiter();
  settings: ConnectWiseEmulatorSettings;
  requestCounts = new Map<string, number>();
  baseUrl = '';
  private nextAdditionId = 1;
  private nextInvoiceId = 1;
  private clockOffsetMs = 0;

  constructor(
    scenario: ConnectWiseScenario,
    private readonly initialSettings: ConnectWiseEmulatorSettings = DEFAULT_SETTINGS,
    private readonly clock: () => number = Date.now,
  ) {
    this.scenario = scenario;
    this.settings = { ...initialSettings };
    this.load();
  }

  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  reset(scenario?: ConnectWiseScenario): void {
    if (scenario) this.scenario = scenario;
    this.settings = { ...this.initialSettings };
    this.journal.clear();
    this.faults.clear();
    this.limiter.clear();
    this.requestCounts.clear();
    this.clockOffsetMs = 0;
    this.load();
  }

  private load(): void {
    const copy = structuredClone(this.scenario);
    this.companies = copy.companies;
    this.catalog = copy.catalog;
    this.agreements = copy.agreements;
    this.additions = copy.additions;
    this.invoices = [];
    this.invoiceRuns = [];
    this.nextAdditionId = Math.max(0, ...this.additions.map((addition) => addition.id)) + 1;
    this.nextInvoiceId = 1;
  }

  allocateAdditionId(): number {
    return this.nextAdditionId++;
  }

  allocateInvoiceId(): number {
    return this.nextInvoiceId++;
  }

  member(publicKey: string): ApiMember | undefined {
    return this.scenario.apiMembers.find((member) => member.publicKey === publicKey);
  }

  agreement(id: number): AgreementRecord | undefined {
    return this.agreements.find((agreement) => agreement.id === id);
  }

  catalogItem(reference: { id?: unknown; identifier?: unknown }): CatalogItemRecord | undefined {
    if (typeof reference.id === 'number') return this.catalog.find((item) => item.id === reference.id);
    if (typeof reference.identifier === 'string') return this.catalog.find((item) => item.identifier.toLowerCase() === (reference.identifier as string).toLowerCase());
    return undefined;
  }
}
