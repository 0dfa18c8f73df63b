import { createAutotaskError } from './autotask-api.error';
import { AutotaskHttp, type AutotaskAttemptEvent, type AutotaskRetryPolicy } from './autotask-http';
import type {
  AutotaskCompany,
  AutotaskContract,
  AutotaskContractService,
  AutotaskContractServiceAdjustment,
  AutotaskContractServiceUnit,
  AutotaskCount,
  AutotaskCredentials,
  AutotaskEntity,
  AutotaskFilter,
  AutotaskItemIdResponse,
  AutotaskItemResponse,
  AutotaskQuery,
  AutotaskQueryPage,
  AutotaskService,
  AutotaskThresholdInformation,
  AutotaskZoneInformation,
  NewContractService,
  NewContractServiceAdjustment,
} from './autotask.types';
import { AutotaskThresholdLimiter } from './threshold-limiter';

// Where ZoneInformation is asked when nothing else is configured [ATSW].
export const AUTOTASK_DISCOVERY_URL = 'https://webservices2.autotask.net/ATServicesRest';
export const AUTOTASK_MAX_PAGE_SIZE = 500; // [KT][ATADV]
// Ids per "in" filter when a list is read for many parents. Autotask documents no limit; a short list keeps the
// GET form of the query under the 2,048-character URL limit KT warns about too.
const IDS_PER_QUERY = 200;

export interface AutotaskClientOptions {
  baseUrl: string; // the zone's API URL from ZoneInformation, e.g. https://webservices5.autotask.net/ATServicesRest
  credentials: AutotaskCredentials;
  // One per Autotask database, shared by every client and job using it; default: a private one.
  limiter?: AutotaskThresholdLimiter;
  timeoutMs?: number;
  retry?: Partial<AutotaskRetryPolicy>;
  maxConcurrentPerEndpoint?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onAttempt?: (event: AutotaskAttemptEvent) => void;
}

export interface ZoneDiscoveryOptions {
  discoveryUrl?: string; // default AUTOTASK_DISCOVERY_URL
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// A lazy, re-iterable walk over a query's pages (following nextPageUrl until null).
export class AutotaskPages<T> implements AsyncIterable<AutotaskQueryPage<T>> {
  constructor(private readonly walk: () => AsyncGenerator<AutotaskQueryPage<T>, void, undefined>) {}

  [Symbol.asyncIterator](): AsyncIterator<AutotaskQueryPage<T>> {
    return this.walk();
  }

  async *items(): AsyncGenerator<T, void, undefined> {
    for await (const page of this) yield* page.items;
  }

  async all(): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this) items.push(...page.items);
    return items;
  }
}

// The Autotask REST v1.0 wire client: zone discovery, the three auth headers, /query with filter JSON and
// nextPageUrl paging, the entities a billing sync needs, and the hourly threshold. Knows nothing of Sync 365.
export class AutotaskClient {
  readonly limiter: AutotaskThresholdLimiter;
  private readonly http: AutotaskHttp;

  constructor(options: AutotaskClientOptions) {
    this.limiter = options.limiter ?? new AutotaskThresholdLimiter({ sleep: options.sleep });
    this.http = new AutotaskHttp({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      limiter: this.limiter,
      readThreshold: () => this.readThreshold(),
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      maxConcurrentPerEndpoint: options.maxConcurrentPerEndpoint,
      sleep: options.sleep,
      random: options.random,
      onAttempt: options.onAttempt,
    });
  }

  get baseUrl(): string {
    return this.http.base.toString().replace(/\/+$/, '');
  }

  // GET {discovery}/V1.0/ZoneInformation?user=…: no credentials, not thread-limited [ATTHR]. The answer's `url`
  // is the base URL for every other call.
  static async discoverZone(userName: string, options: ZoneDiscoveryOptions = {}): Promise<AutotaskZoneInformation> {
    const http = new AutotaskHttp({
      baseUrl: options.discoveryUrl ?? AUTOTASK_DISCOVERY_URL,
      timeoutMs: options.timeoutMs,
      sleep: options.sleep,
    });
    const body = await http.request<Record<string, unknown>>({ path: '/V1.0/ZoneInformation', query: { user: userName }, counted: false });
    const zone = normalizeZone(body);
    if (!zone.url) {
      throw createAutotaskError({
        kind: 'authentication',
        status: 200,
        message: `Autotask found no zone for the API user "${userName}"`,
        fix: 'Autotask does not know this API user name. Copy the user name of the API user (Admin \u203a Resources (Users), security level "API User") exactly, then try again.',
        path: '/V1.0/ZoneInformation',
        method: 'GET',
      });
    }
    return zone;
  }

  // Discovery, then a client on the zone's URL.
  static async connect(
    options: Omit<AutotaskClientOptions, 'baseUrl'> & { discoveryUrl?: string },
  ): Promise<{ client: AutotaskClient; zone: AutotaskZoneInformation }> {
    const zone = await AutotaskClient.discoverZone(options.credentials.userName, {
      discoveryUrl: options.discoveryUrl,
      timeoutMs: options.timeoutMs,
      sleep: options.sleep,
    });
    return { zone, client: new AutotaskClient({ ...options, baseUrl: zone.url }) };
  }

  // Reading the threshold counts against it too (assumed: Autotask does not say it is exempt).
  async getThresholdInformation(): Promise<AutotaskThresholdInformation> {
    const info = await this.readThreshold();
    this.limiter.observe(info);
    return info;
  }

  // POST /V1.0/{entity}/query; every further page is the nextPageUrl, sent the same way, until it is null.
  query<T extends AutotaskEntity>(entity: string, query: AutotaskQuery): AutotaskPages<T> {
    const body = wireQuery(query);
    const http = this.http;
    return new AutotaskPages<T>(async function* () {
      let path: string | null = `/V1.0/${entity}/query`;
      const seen = new Set<string>();
      while (path) {
        const page: AutotaskQueryPage<T> = await http.request<AutotaskQueryPage<T>>({ method: 'POST', path, json: body, replay: 'safe' });
        yield {
          items: page?.items ?? [],
          pageDetails: page?.pageDetails ?? { count: 0, requestCount: 0, prevPageUrl: null, nextPageUrl: null },
        };
        const next: string | null = page?.pageDetails?.nextPageUrl ?? null;
        if (next && seen.has(next)) {
          throw createAutotaskError({
            kind: 'malformed_response',
            status: 200,
            message: `Autotask ${entity} query: nextPageUrl repeats a page already read`,
            method: 'POST',
            path: `/V1.0/${entity}/query`,
          });
        }
        if (next) seen.add(next);
        path = next;
      }
    });
  }

  async count(entity: string, filter: AutotaskFilter[]): Promise<number> {
    const body = await this.http.request<AutotaskCount>({
      method: 'POST',
      path: `/V1.0/${entity}/query/count`,
      json: { filter },
      replay: 'safe',
    });
    return body?.queryCount ?? 0;
  }

  // GET /V1.0/{entity}/{id}: Autotask answers {"item": null} for an id it does not have.
  async get<T extends AutotaskEntity>(entity: string, id: number): Promise<T | null> {
    const body = await this.http.request<AutotaskItemResponse<T>>({ path: `/V1.0/${entity}/${id}` });
    return body?.item ?? null;
  }

  // Companies by exact name, name fragment or ids (active ones unless told otherwise).
  findCompanies(
    criteria: { name?: string; nameContains?: string; ids?: number[]; includeInactive?: boolean } = {},
  ): AutotaskPages<AutotaskCompany> {
    const filter: AutotaskFilter[] = [];
    if (criteria.name !== undefined) filter.push({ op: 'eq', field: 'companyName', value: criteria.name });
    if (criteria.nameContains !== undefined) filter.push({ op: 'contains', field: 'companyName', value: criteria.nameContains });
    if (!criteria.includeInactive) filter.push({ op: 'eq', field: 'isActive', value: true });
    if (criteria.ids) return this.byIds<AutotaskCompany>('Companies', 'id', criteria.ids, filter);
    if (filter.length === 0) filter.push({ op: 'gte', field: 'id', value: 0 });
    return this.query<AutotaskCompany>('Companies', { filter, maxRecords: AUTOTASK_MAX_PAGE_SIZE });
  }

  // Contracts of some companies; by default only active recurring-service contracts (contractType 7, status 1).
  findContracts(
    criteria: { companyIds?: number[]; ids?: number[]; allTypes?: boolean; includeInactive?: boolean } = {},
  ): AutotaskPages<AutotaskContract> {
    const filter: AutotaskFilter[] = [];
    if (!criteria.allTypes) filter.push({ op: 'eq', field: 'contractType', value: 7 });
    if (!criteria.includeInactive) filter.push({ op: 'eq', field: 'status', value: 1 });
    if (criteria.ids) return this.byIds<AutotaskContract>('Contracts', 'id', criteria.ids, filter);
    if (criteria.companyIds) return this.byIds<AutotaskContract>('Contracts', 'companyID', criteria.companyIds, filter);
    return this.query<AutotaskContract>('Contracts', { filter, maxRecords: AUTOTASK_MAX_PAGE_SIZE });
  }

  findServices(criteria: { ids?: number[]; nameContains?: string; includeInactive?: boolean } = {}): AutotaskPages<AutotaskService> {
    const filter: AutotaskFilter[] = [];
    if (criteria.nameContains !== undefined) filter.push({ op: 'contains', field: 'name', value: criteria.nameContains });
    if (!criteria.includeInactive) filter.push({ op: 'eq', field: 'isActive', value: true });
    if (criteria.ids) return this.byIds<AutotaskService>('Services', 'id', criteria.ids, filter);
    if (filter.length === 0) filter.push({ op: 'gte', field: 'id', value: 0 });
    return this.query<AutotaskService>('Services', { filter, maxRecords: AUTOTASK_MAX_PAGE_SIZE });
  }

  listContractServices(contractIds: number[]): AutotaskPages<AutotaskContractService> {
    return this.byIds<AutotaskContractService>('ContractServices', 'contractID', contractIds, []);
  }

  // Units per period; `on` (yyyy-mm-dd) keeps the rows in force that day: what the contract bills for now.
  listContractServiceUnits(contractIds: number[], options: { on?: string } = {}): AutotaskPages<AutotaskContractServiceUnit> {
    const filter: AutotaskFilter[] = [];
    if (options.on) {
      const day = toAutotaskDate(options.on);
      filter.push({ op: 'lte', field: 'startDate', value: day }, { op: 'gte', field: 'endDate', value: day });
    }
    return this.byIds<AutotaskContractServiceUnit>('ContractServiceUnits', 'contractID', contractIds, filter);
  }

  listContractServiceAdjustments(contractIds: number[]): AutotaskPages<AutotaskContractServiceAdjustment> {
    return this.byIds<AutotaskContractServiceAdjustment>('ContractServiceAdjustments', 'contractID', contractIds, []);
  }

  // POST /V1.0/Contracts/{id}/Services (ContractServices are written through their contract [ATURL]).
  async addServiceToContract(input: NewContractService): Promise<number> {
    const body = await this.http.request<AutotaskItemIdResponse>({
      method: 'POST',
      path: `/V1.0/Contracts/${input.contractID}/Services`,
      json: input,
    });
    return itemIdOf(body, 'ContractServices');
  }

  // A quantity change: POST /V1.0/ContractServiceAdjustments with the unit delta and the day it takes effect.
  // Autotask prorates it from that day [S365AT]; a date at the period's start bills the whole period.
  async createContractServiceAdjustment(input: NewContractServiceAdjustment): Promise<number> {
    if (!Number.isInteger(input.unitChange) || input.unitChange === 0)
      throw new Error('unitChange must be a non-zero whole number of units.');
    const body = await this.http.request<AutotaskItemIdResponse>({
      method: 'POST',
      path: '/V1.0/ContractServiceAdjustments',
      json: { ...input, effectiveDate: toAutotaskDate(input.effectiveDate) },
    });
    return itemIdOf(body, 'ContractServiceAdjustments');
  }

  private async readThreshold(): Promise<AutotaskThresholdInformation> {
    const body = await this.http.request<Record<string, unknown>>({ path: '/V1.0/ThresholdInformation', counted: false });
    return normalizeThreshold(body);
  }

  // One query per slice of ids, walked one after the other as one collection.
  private byIds<T extends AutotaskEntity>(entity: string, field: string, ids: number[], filter: AutotaskFilter[]): AutotaskPages<T> {
    const unique = [...new Set(ids)];
    const slices: number[][] = [];
    for (let start = 0; start < unique.length; start += IDS_PER_QUERY) slices.push(unique.slice(start, start + IDS_PER_QUERY));
    return new AutotaskPages<T>(
      async function* (this: AutotaskClient) {
        for (const slice of slices) {
          yield* this.query<T>(entity, { filter: [...filter, { op: 'in', field, value: slice }], maxRecords: AUTOTASK_MAX_PAGE_SIZE });
        }
      }.bind(this),
    );
  }
}

function wireQuery(query: AutotaskQuery): Record<string, unknown> {
  const maxRecords = query.maxRecords ?? AUTOTASK_MAX_PAGE_SIZE;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > AUTOTASK_MAX_PAGE_SIZE)
    throw new Error(`maxRecords must be 1..${AUTOTASK_MAX_PAGE_SIZE}.`);
  const includeFields =
    query.includeFields && !query.includeFields.some((field) => field.toLowerCase() === 'id')
      ? [...query.includeFields, 'id']
      : query.includeFields;
  return { filter: query.filter, MaxRecords: maxRecords, ...(includeFields ? { IncludeFields: includeFields } : {}) };
}

function itemIdOf(body: AutotaskItemIdResponse | undefined, entity: string): number {
  if (typeof body?.itemId !== 'number') {
    throw createAutotaskError({
      kind: 'malformed_response',
      status: 200,
      message: `Autotask created a ${entity} record but sent no itemId`,
      method: 'POST',
      path: `/V1.0/${entity}`,
    });
  }
  return body.itemId;
}

// yyyy-mm-dd (or a full date-time) → Autotask's date-time form; date-only fields keep midnight, no shift [ATINTRO].
export function toAutotaskDate(value: string): string {
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
  if (!day || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`Not a date: ${value}`);
  return `${day}T00:00:00Z`;
}

// Autotask answers camelCase; the Swagger names the fields PascalCase. Read either.
function pick(body: Record<string, unknown> | undefined, name: string): unknown {
  if (!body) return undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : body[key];
}

export function normalizeZone(body: Record<string, unknown> | undefined): AutotaskZoneInformation {
  const url = String(pick(body, 'url') ?? '').trim();
  return {
    zoneName: String(pick(body, 'zoneName') ?? ''),
    url: url.replace(/\/+$/, ''),
    webUrl: String(pick(body, 'webUrl') ?? ''),
    ci: Number(pick(body, 'ci') ?? 0),
  };
}

export function normalizeThreshold(body: Record<string, unknown> | undefined): AutotaskThresholdInformation {
  const number = (name: string, fallback: number) => {
    const value = Number(pick(body, name));
    return Number.isFinite(value) ? value : fallback;
  };
  return {
    externalRequestThreshold: number('externalRequestThreshold', 10_000),
    requestThresholdTimeframe: number('requestThresholdTimeframe', 60),
    currentTimeframeRequestCount: number('currentTimeframeRequestCount', 0),
  };
}
