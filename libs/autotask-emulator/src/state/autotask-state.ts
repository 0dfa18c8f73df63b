import { FaultRegistry } from '../http/fault-registry';
import type { ApiUser, AutotaskScenario, ScenarioContract } from '../scenario/scenario';
import { addDays, addMonths, parseDay, toWireDate } from './dates';
import { DEFAULT_SETTINGS, type AutotaskEmulatorSettings } from './settings';

export type EntityName =
  'Companies' | 'Contracts' | 'Services' | 'ContractServices' | 'ContractServiceUnits' | 'ContractServiceAdjustments';
export const ENTITY_NAMES: EntityName[] = [
  'Companies',
  'Contracts',
  'Services',
  'ContractServices',
  'ContractServiceUnits',
  'ContractServiceAdjustments',
];

export type WireRecord = { id: number } & Record<string, unknown>;

// The fields each entity answers with (and may be filtered on), as Autotask names them.
export const ENTITY_FIELDS: Record<EntityName, string[]> = {
  Companies: ['id', 'companyName', 'companyNumber', 'companyType', 'isActive', 'phone', 'webAddress', 'createDate', 'lastActivityDate'],
  Contracts: [
    'id',
    'companyID',
    'contractName',
    'contractNumber',
    'contractType',
    'status',
    'startDate',
    'endDate',
    'contractPeriodType',
    'isDefaultContract',
  ],
  Services: ['id', 'name', 'description', 'invoiceDescription', 'unitPrice', 'unitCost', 'periodType', 'isActive'],
  ContractServices: [
    'id',
    'contractID',
    'serviceID',
    'unitPrice',
    'adjustedPrice',
    'unitCost',
    'invoiceDescription',
    'internalDescription',
    'quoteItemID',
  ],
  ContractServiceUnits: [
    'id',
    'contractID',
    'contractServiceID',
    'serviceID',
    'startDate',
    'endDate',
    'units',
    'price',
    'cost',
    'approveAndPostDate',
  ],
  ContractServiceAdjustments: [
    'id',
    'contractID',
    'serviceID',
    'contractServiceID',
    'effectiveDate',
    'unitChange',
    'adjustedUnitPrice',
    'adjustedUnitCost',
    'allowRepeatService',
    'quoteItemID',
  ],
};

export interface JournalEntry {
  sequence: number;
  at: string; // emulator clock, ISO
  method: string;
  path: string; // after /ATServicesRest, e.g. /V1.0/ContractServiceAdjustments
  entity: string;
  userName: string;
  status: number;
  body: unknown; // the request body as received
  itemId?: number;
  errors?: string[];
}

export interface Period {
  start: string; // first day
  end: string; // last day (inclusive)
  days: number;
}

// Periods beyond this many are not generated (a contract of ten years of months is plenty for tests).
const MAX_PERIODS = 120;

// One Autotask database in memory: entities, the usage window, faults, the journal of writes and the clock.
export class AutotaskState {
  settings: AutotaskEmulatorSettings;
  private readonly initialSettings: AutotaskEmulatorSettings;
  readonly faults = new FaultRegistry();
  journal: JournalEntry[] = [];
  baseUrl = ''; // origin, set once listening
  private clockOffsetMs = 0;
  private usage: number[] = [];
  private nextId = 0;
  private records = new Map<EntityName, Map<number, WireRecord>>();
  private initialUnits = new Map<number, number>(); // contract service id → units from the contract's start
  private adjustmentsByService = new Map<number, WireRecord[]>(); // contract service id → its adjustments, by id
  private posted = new Set<string>(); // "contractId:periodStart" of periods an invoice run posted
  scenario: AutotaskScenario;

  constructor(
    scenario: AutotaskScenario,
    private readonly clock: () => number,
    settings: Partial<AutotaskEmulatorSettings> = {},
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.initialSettings = this.settings;
    this.scenario = scenario;
    this.load(scenario);
  }

  get zoneUrl(): string {
    return `${this.baseUrl}/ATServicesRest`;
  }

  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  advanceClock(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
  }

  // Back to the start: the scenario's data, the settings given at start, no faults, journal, usage or clock shift.
  reset(scenario: AutotaskScenario = this.scenario): void {
    this.load(scenario);
    this.settings = this.initialSettings;
    this.faults.clear();
    this.clockOffsetMs = 0;
  }

  load(scenario: AutotaskScenario): void {
    this.scenario = scenario;
    this.records = new Map(ENTITY_NAMES.map((name) => [name, new Map()]));
    this.initialUnits.clear();
    this.adjustmentsByService.clear();
    this.posted.clear();
    this.journal = [];
    this.usage = [];
    for (const company of scenario.companies)
      this.put('Companies', { lastActivityDate: null, createDate: null, phone: null, webAddress: null, companyNumber: null, ...company });
    for (const service of scenario.services) this.put('Services', { description: null, invoiceDescription: null, ...service });
    for (const contract of scenario.contracts) this.put('Contracts', contractRecord(contract));
    for (const contractService of scenario.contractServices) {
      const service = this.find('Services', contractService.serviceID);
      const unitPrice = contractService.unitPrice ?? (service?.unitPrice as number);
      this.put('ContractServices', {
        id: contractService.id,
        contractID: contractService.contractID,
        serviceID: contractService.serviceID,
        unitPrice,
        adjustedPrice: contractService.adjustedPrice ?? unitPrice,
        unitCost: contractService.unitCost ?? (service?.unitCost as number),
        invoiceDescription: contractService.invoiceDescription ?? (service?.invoiceDescription as string) ?? null,
        internalDescription: null,
        quoteItemID: null,
      });
      this.initialUnits.set(contractService.id, contractService.units);
    }
    for (const adjustment of scenario.adjustments ?? []) {
      this.put('ContractServiceAdjustments', {
        ...adjustment,
        effectiveDate: toWireDate(adjustment.effectiveDate),
        adjustedUnitPrice: null,
        adjustedUnitCost: null,
        allowRepeatService: false,
        quoteItemID: null,
      });
    }
    const ids = [...this.records.values()].flatMap((map) => [...map.keys()]);
    this.nextId = Math.max(29_800_000, ...ids) + 1;
  }

  apiUser(userName: string): ApiUser | undefined {
    return this.scenario.apiUsers.find((user) => user.userName.toLowerCase() === userName.toLowerCase());
  }

  newId(): number {
    return this.nextId++;
  }

  put(entity: EntityName, record: WireRecord): void {
    this.records.get(entity)!.set(record.id, record);
    if (entity === 'ContractServiceAdjustments') {
      const list = this.adjustmentsByService.get(record.contractServiceID as number) ?? [];
      this.adjustmentsByService.set(
        record.contractServiceID as number,
        [...list.filter((other) => other.id !== record.id), record].sort((a, b) => a.id - b.id),
      );
    }
  }

  find(entity: EntityName, id: number): WireRecord | undefined {
    if (entity === 'ContractServiceUnits') return this.rows(entity).find((row) => row.id === id);
    return this.records.get(entity)!.get(id);
  }

  // Every record of an entity, by id. `contractIds` narrows the (computed) ContractServiceUnits to those contracts
  // when the query's filter demands it anyway: a speed-up for large worlds, same answer.
  rows(entity: EntityName, contractIds?: Set<number>): WireRecord[] {
    if (entity === 'ContractServiceUnits') return this.contractServiceUnits(contractIds);
    return [...this.records.get(entity)!.values()].sort((a, b) => a.id - b.id);
  }

  setInitialUnits(contractServiceId: number, units: number): void {
    this.initialUnits.set(contractServiceId, units);
  }

  // The contract's monthly billing periods from its start day to its end (inclusive days).
  periods(contract: WireRecord): Period[] {
    const start = parseDay(contract.startDate)!;
    const end = parseDay(contract.endDate)!;
    const periods: Period[] = [];
    for (let index = 0; index < MAX_PERIODS; index++) {
      const first = addMonths(start, index);
      if (first > end) break;
      const next = addMonths(start, index + 1);
      const last = addDays(next, -1) < end ? addDays(next, -1) : end;
      periods.push({
        start: first,
        end: last,
        days: Math.round((Date.parse(`${next}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000),
      });
    }
    return periods;
  }

  periodContaining(contract: WireRecord, day: string): Period | undefined {
    return this.periods(contract).find((period) => period.start <= day && day <= period.end);
  }

  adjustmentsOf(contractServiceId: number): WireRecord[] {
    return this.adjustmentsByService.get(contractServiceId) ?? [];
  }

  // Units in force on a day: the contract's starting units plus every adjustment effective on or before it.
  unitsOn(contractServiceId: number, day: string): number {
    let units = this.initialUnits.get(contractServiceId) ?? 0;
    for (const adjustment of this.adjustmentsOf(contractServiceId))
      if (parseDay(adjustment.effectiveDate)! <= day) units += adjustment.unitChange as number;
    return units;
  }

  isPosted(contractId: number, periodStart: string): boolean {
    return this.posted.has(`${contractId}:${periodStart}`);
  }

  markPosted(contractId: number, periodStart: string): void {
    this.posted.add(`${contractId}:${periodStart}`);
  }

  // ContractServiceUnits: per contract service, one row per period, split at each adjustment's effective date [ATCSU].
  // Ids are derived from the contract service, the period and the split, so they stay put between reads. `price` and
  // `cost` are per unit (assumed: the entity page does not say whether they are per unit or per row).
  private contractServiceUnits(contractIds?: Set<number>): WireRecord[] {
    const rows: WireRecord[] = [];
    for (const contractService of this.rows('ContractServices')) {
      if (contractIds && !contractIds.has(contractService.contractID as number)) continue;
      const contract = this.find('Contracts', contractService.contractID as number);
      if (!contract) continue;
      const changes = this.adjustmentsOf(contractService.id).map((adjustment) => parseDay(adjustment.effectiveDate)!);
      this.periods(contract).forEach((period, periodIndex) => {
        const cuts = [...new Set([period.start, ...changes.filter((day) => day > period.start && day <= period.end)])].sort();
        cuts.forEach((cut, cutIndex) => {
          const last = cutIndex + 1 < cuts.length ? addDays(cuts[cutIndex + 1], -1) : period.end;
          rows.push({
            id: contractService.id * 10_000 + periodIndex * 50 + cutIndex,
            contractID: contract.id,
            contractServiceID: contractService.id,
            serviceID: contractService.serviceID,
            startDate: toWireDate(cut),
            endDate: toWireDate(last),
            units: this.unitsOn(contractService.id, cut),
            price: contractService.adjustedPrice ?? contractService.unitPrice,
            cost: contractService.unitCost,
            approveAndPostDate: this.isPosted(contract.id, period.start) ? toWireDate(period.start) : null,
          });
        });
      });
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  // The rolling usage window: requests counted in the last timeframe.
  usageCount(): number {
    const from = this.now() - this.settings.timeframeMinutes * 60_000;
    let expired = 0;
    while (expired < this.usage.length && this.usage[expired] <= from) expired++;
    if (expired > 0) this.usage.splice(0, expired);
    return this.usage.length;
  }

  countRequest(count = 1): void {
    const now = this.now();
    for (let i = 0; i < count; i++) this.usage.push(now);
  }

  clearUsage(): void {
    this.usage = [];
  }

  record(entry: Omit<JournalEntry, 'sequence' | 'at'>): JournalEntry {
    const full = { sequence: this.journal.length + 1, at: new Date(this.now()).toISOString(), ...entry };
    this.journal.push(full);
    return full;
  }
}

function contractRecord(contract: ScenarioContract): WireRecord {
  return {
    id: contract.id,
    companyID: contract.companyID,
    contractName: contract.contractName,
    contractNumber: contract.contractNumber ?? null,
    contractType: contract.contractType,
    status: contract.status,
    startDate: toWireDate(contract.startDate),
    endDate: toWireDate(contract.endDate),
    contractPeriodType: 'm', // assumed picklist value: monthly
    isDefaultContract: false,
  };
}
