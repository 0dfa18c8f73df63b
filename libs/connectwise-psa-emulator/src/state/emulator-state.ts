import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RateLimiter } from '../../../emulator-kit/src';
import { FaultRegistry } from '../http/fault-registry';
import type { InvoiceRecord, InvoiceRun } from '../billing/invoice.types';
import type {
  AdditionRecord,
  AgreementRecord,
  ApiMember,
  CatalogItemRecord,
  CompanyRecord,
  ConnectWiseScenario,
} from '../scenario/scenario';
import { Journal, type JournalEntry } from './journal';
import { DEFAULT_SETTINGS, type ConnectWiseEmulatorSettings } from './settings';

const STATE_FILE = 'connectwise-state.json';

interface SavedWorld {
  version: 1;
  scenario: string;
  companyId: string;
  companies: CompanyRecord[];
  catalog: CatalogItemRecord[];
  agreements: AgreementRecord[];
  additions: AdditionRecord[];
  invoices: InvoiceRecord[];
  invoiceRuns: InvoiceRun[];
  journal: JournalEntry[];
  nextAdditionId: number;
  nextInvoiceId: number;
}

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
    // Keeps the world (records, invoices, journal) across restarts in {dataDir}/connectwise-state.json; omitted =
    // memory only. A file of another scenario or company is ignored.
    private readonly dataDir?: string,
  ) {
    this.scenario = scenario;
    this.settings = { ...initialSettings };
    this.load();
    this.restore();
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
    this.persist();
  }

  // Written after every applied write and invoice run: temp file + rename, mode 0600.
  persist(): void {
    if (!this.dataDir) return;
    const saved: SavedWorld = {
      version: 1,
      scenario: this.scenario.name,
      companyId: this.scenario.companyId,
      companies: this.companies,
      catalog: this.catalog,
      agreements: this.agreements,
      additions: this.additions,
      invoices: this.invoices,
      invoiceRuns: this.invoiceRuns,
      journal: this.journal.list(),
      nextAdditionId: this.nextAdditionId,
      nextInvoiceId: this.nextInvoiceId,
    };
    mkdirSync(this.dataDir, { recursive: true });
    const path = join(this.dataDir, STATE_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(saved), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  private restore(): void {
    if (!this.dataDir) return;
    const path = join(this.dataDir, STATE_FILE);
    if (!existsSync(path)) return;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedWorld;
    if (saved.version !== 1 || saved.scenario !== this.scenario.name || saved.companyId !== this.scenario.companyId) return;
    this.companies = saved.companies;
    this.catalog = saved.catalog;
    this.agreements = saved.agreements;
    this.additions = saved.additions;
    this.invoices = saved.invoices;
    this.invoiceRuns = saved.invoiceRuns;
    this.journal.restore(saved.journal);
    this.nextAdditionId = saved.nextAdditionId;
    this.nextInvoiceId = saved.nextInvoiceId;
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
    if (typeof reference.identifier === 'string')
      return this.catalog.find((item) => item.identifier.toLowerCase() === (reference.identifier as string).toLowerCase());
    return undefined;
  }
}
