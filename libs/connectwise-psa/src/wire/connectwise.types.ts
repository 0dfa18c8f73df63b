// Wire shapes of ConnectWise PSA (Manage) REST 3.0, only the fields Sync 365 reads or writes (PYCW models, CTC,
// FACTS §1). ConnectWise adds fields freely: every shape is open, and enums accept unknown values.

type Open<T extends string> = T | (string & {});

// GET https://{site}/login/companyinfo/{companyId}. Only `Codebase` is relied on ("v4_6_release/", with its
// trailing slash, as every client strips or keeps it); the other fields are as commonly seen (assumed).
export interface ConnectWiseCompanyInfo {
  Codebase: string;
  CompanyName?: string;
  CompanyID?: string;
  VersionCode?: string;
  VersionNumber?: string;
  IsCloud?: boolean;
  SiteUrl?: string;
  [name: string]: unknown;
}

// {id, name} and friends: how ConnectWise points at another record.
export interface ConnectWiseReference {
  id: number;
  name?: string;
  identifier?: string;
  _info?: Record<string, string>;
}

export interface ConnectWiseInfo {
  lastUpdated?: string;
  updatedBy?: string;
  dateEntered?: string;
  enteredBy?: string;
  [name: string]: string | undefined;
}

export interface ConnectWiseCompany {
  id: number;
  identifier: string;
  name: string;
  status?: ConnectWiseReference;
  types?: ConnectWiseReference[];
  deletedFlag?: boolean;
  phoneNumber?: string;
  website?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: ConnectWiseReference;
  _info?: ConnectWiseInfo;
  [name: string]: unknown;
}

export type ConnectWiseAgreementStatus = Open<'Active' | 'Cancelled' | 'Expired' | 'Inactive'>;

export interface ConnectWiseAgreement {
  id: number;
  name: string;
  type?: ConnectWiseReference;
  company: ConnectWiseReference;
  agreementStatus?: ConnectWiseAgreementStatus;
  cancelledFlag?: boolean;
  startDate?: string; // "2026-01-01T00:00:00Z"
  endDate?: string | null;
  noEndingDateFlag?: boolean;
  billingCycle?: ConnectWiseReference; // {id, name: "Monthly"}
  billStartDate?: string;
  prorateFlag?: boolean;
  billAmount?: number;
  _info?: ConnectWiseInfo;
  [name: string]: unknown;
}

// GET /procurement/catalog: identifier, description, price, cost, inactiveFlag.
export interface ConnectWiseCatalogItem {
  id: number;
  identifier: string;
  description: string;
  inactiveFlag?: boolean;
  price?: number;
  cost?: number;
  type?: ConnectWiseReference;
  productClass?: Open<'Agreement' | 'Bundle' | 'Inventory' | 'NonInventory' | 'Service'>;
  _info?: ConnectWiseInfo;
  [name: string]: unknown;
}

export type ConnectWiseBillCustomer = Open<'Billable' | 'DoNotBill' | 'NoCharge'>;

export interface ConnectWiseAddition {
  id: number;
  product: ConnectWiseReference;
  billCustomer: ConnectWiseBillCustomer;
  quantity?: number;
  lessIncluded?: number;
  unitPrice?: number;
  unitCost?: number;
  effectiveDate?: string | null;
  cancelledDate?: string | null;
  invoiceDescription?: string | null;
  serialNumber?: string | null;
  taxableFlag?: boolean;
  prorateCurrentPeriodFlag?: boolean;
  // Returned, computed by ConnectWise.
  proratePrice?: number;
  prorateCost?: number;
  extendedProratePrice?: number;
  extendedProrateCost?: number;
  billedQuantity?: number;
  extPrice?: number;
  extCost?: number;
  agreementId?: number;
  description?: string;
  _info?: ConnectWiseInfo;
  [name: string]: unknown;
}

// POST /finance/agreements/{id}/additions: `product` and `billCustomer` are required.
export interface NewConnectWiseAddition {
  product: { id: number } | { identifier: string };
  billCustomer: ConnectWiseBillCustomer;
  quantity?: number;
  lessIncluded?: number;
  unitPrice?: number;
  unitCost?: number;
  effectiveDate?: string; // ISO date-time, "2026-12-07T00:00:00Z"
  cancelledDate?: string;
  invoiceDescription?: string; // ≤ 6000
  serialNumber?: string; // ≤ 50
  taxableFlag?: boolean;
  prorateCurrentPeriodFlag?: boolean;
  description?: string;
}

// PATCH bodies are arrays of operations: [{"op":"replace","path":"quantity","value":12}].
export interface ConnectWisePatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export interface ConnectWiseCount {
  count: number;
}

export interface ConnectWiseInvoice {
  id: number;
  invoiceNumber?: string;
  type?: Open<'Agreement' | 'Standard' | 'CreditMemo' | 'DownPayment' | 'Miscellaneous' | 'Progress'>;
  company?: ConnectWiseReference;
  agreement?: ConnectWiseReference;
  date?: string;
  subtotal?: number;
  total?: number;
  _info?: ConnectWiseInfo;
  [name: string]: unknown;
}
