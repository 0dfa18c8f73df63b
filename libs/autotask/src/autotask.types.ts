// Autotask REST v1.0 wire types (KelvinTegelaar/AutotaskAPI v1.json; autotask.net/help/DeveloperHelp entity pages).
// Only the fields a billing sync reads or writes are typed; Autotask sends more, kept through the index signature.
// Picklist values vary per Autotask database: they are numbers here, never names.

export interface AutotaskEntity {
  id: number;
  [field: string]: unknown;
}

export interface AutotaskCompany extends AutotaskEntity {
  companyName: string;
  companyNumber?: string | null;
  companyType?: number; // picklist: 1 Customer (default picklist of a new database)
  isActive?: boolean;
  phone?: string | null;
  webAddress?: string | null;
}

export interface AutotaskContract extends AutotaskEntity {
  companyID: number;
  contractName: string;
  contractNumber?: string | null;
  contractType?: number; // picklist: 7 Recurring Service
  status?: number; // picklist: 1 Active, 0 Inactive
  startDate: string; // UTC date-time, midnight for date-only fields
  endDate: string;
  contractPeriodType?: string | null;
}

export interface AutotaskService extends AutotaskEntity {
  name: string;
  description?: string | null;
  invoiceDescription?: string | null;
  unitPrice?: number | null;
  unitCost?: number | null;
  periodType?: number; // picklist: 1 Monthly
  isActive?: boolean;
}

export interface AutotaskContractService extends AutotaskEntity {
  contractID: number;
  serviceID: number;
  unitPrice?: number | null;
  adjustedPrice?: number | null;
  unitCost?: number | null;
  invoiceDescription?: string | null;
  internalDescription?: string | null;
  quoteItemID?: number | null;
}

// Query-only: one row per billing period, split at each adjustment's effective date [ATCSU].
export interface AutotaskContractServiceUnit extends AutotaskEntity {
  contractID: number;
  contractServiceID: number;
  serviceID: number;
  startDate: string;
  endDate: string;
  units: number;
  price?: number | null;
  cost?: number | null;
  approveAndPostDate?: string | null;
}

// Create-only [ATCSA]: a dated change of units; it auto-creates the ContractService when the service is not on the
// contract yet, and never changes the service's list price.
export interface AutotaskContractServiceAdjustment extends AutotaskEntity {
  contractID: number;
  serviceID: number;
  contractServiceID?: number | null;
  effectiveDate: string;
  unitChange: number; // int32 delta, may be negative
  adjustedUnitPrice?: number | null;
  adjustedUnitCost?: number | null;
  allowRepeatService?: boolean;
  quoteItemID?: number | null;
}

export interface NewContractServiceAdjustment {
  contractID: number;
  serviceID: number;
  contractServiceID?: number;
  effectiveDate: string; // yyyy-mm-dd or a UTC date-time; Autotask keeps the date at midnight, no time-zone shift
  unitChange: number;
  adjustedUnitPrice?: number;
  adjustedUnitCost?: number;
  allowRepeatService?: boolean;
  quoteItemID?: number;
}

export interface NewContractService {
  contractID: number;
  serviceID: number;
  unitPrice?: number;
  adjustedPrice?: number;
  unitCost?: number;
  invoiceDescription?: string;
  internalDescription?: string;
}

// POST/PATCH answer: the id of the created or updated entity.
export interface AutotaskItemIdResponse {
  itemId: number;
}

export interface AutotaskItemResponse<T> {
  item: T | null;
}

// Filter operators of the REST query [ATSW][ATQ]; "and"/"or" group `items`.
export type AutotaskFilterOperator =
  'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains' | 'exist' | 'notExist' | 'in' | 'notIn';

export type AutotaskFilter =
  { op: AutotaskFilterOperator; field: string; value?: unknown; udf?: boolean } | { op: 'and' | 'or'; items: AutotaskFilter[] };

export interface AutotaskQuery {
  filter: AutotaskFilter[];
  maxRecords?: number; // 1..500, the page size
  includeFields?: string[]; // must contain "id" when more than 500 rows match
}

export interface AutotaskPageDetails {
  count: number;
  requestCount: number;
  prevPageUrl: string | null;
  nextPageUrl: string | null;
}

export interface AutotaskQueryPage<T> {
  items: T[];
  pageDetails: AutotaskPageDetails;
}

export interface AutotaskCount {
  queryCount: number;
}

// GET {discovery}/V1.0/ZoneInformation?user=... [ATSW][KT]; the JSON is camelCase (apigrate reads `url`).
export interface AutotaskZoneInformation {
  zoneName: string;
  url: string; // e.g. https://webservices5.autotask.net/ATServicesRest/ (with a trailing slash)
  webUrl: string;
  ci: number;
}

// GET /V1.0/ThresholdInformation [ATTHR][ATLIM].
export interface AutotaskThresholdInformation {
  externalRequestThreshold: number; // 10,000 by default
  requestThresholdTimeframe: number; // minutes, 60
  currentTimeframeRequestCount: number;
}

export interface AutotaskCredentials {
  integrationCode: string; // the API user's tracking identifier
  userName: string;
  secret: string;
  impersonationResourceId?: number;
}
