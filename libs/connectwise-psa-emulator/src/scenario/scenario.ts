// A ConnectWise world as plain JSON-able data: one ConnectWise company (the MSP) with its API members, its customer
// companies, product catalog, agreements and agreement additions. Records are stored in ConnectWise's wire shape.

export type Permission = 'companies' | 'agreements' | 'catalog' | 'invoices';

// An API member's key pair (System → Members → API Members) and what its security role may reach.
export interface ApiMember {
  memberIdentifier: string;
  publicKey: string;
  privateKey: string;
  permissions: Permission[];
}

export interface Reference {
  id: number;
  name?: string;
  identifier?: string;
}

export interface CompanyRecord {
  id: number;
  identifier: string;
  name: string;
  status: Reference;
  types: Reference[];
  deletedFlag: boolean;
  phoneNumber?: string;
  city?: string;
  state?: string;
  zip?: string;
  website?: string;
}

export interface CatalogItemRecord {
  id: number;
  identifier: string;
  description: string;
  inactiveFlag: boolean;
  price: number;
  cost: number;
  productClass: string;
  taxableFlag: boolean;
  type?: Reference;
}

export type BillingCycleName = 'Monthly' | 'Quarterly' | 'SemiAnnual' | 'Annual';

export interface AgreementRecord {
  id: number;
  name: string;
  type: Reference;
  company: Reference;
  agreementStatus: 'Active' | 'Cancelled' | 'Expired' | 'Inactive';
  cancelledFlag: boolean;
  startDate: string; // YYYY-MM-DDT00:00:00Z
  endDate: string | null;
  noEndingDateFlag: boolean;
  billingCycle: Reference & { name: BillingCycleName };
  billStartDate: string;
  prorateFlag: boolean;
}

export type BillCustomer = 'Billable' | 'DoNotBill' | 'NoCharge';

export interface AdditionRecord {
  id: number;
  agreementId: number;
  product: Reference;
  billCustomer: BillCustomer;
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  unitCost: number;
  effectiveDate: string | null;
  cancelledDate: string | null;
  invoiceDescription: string | null;
  serialNumber: string | null;
  description: string;
  taxableFlag: boolean;
  prorateCurrentPeriodFlag: boolean;
  dateEntered: string;
  lastUpdated: string;
}

export interface ConnectWiseScenario {
  name: string;
  // The MSP's ConnectWise company id (typed at sign-in) and the codebase /login/companyinfo answers.
  companyId: string;
  companyName: string;
  codebase: string; // "v4_6_release/"
  // clientIds registered on developer.connectwise.com that this world accepts.
  clientIds: string[];
  apiMembers: ApiMember[];
  companies: CompanyRecord[];
  catalog: CatalogItemRecord[];
  agreements: AgreementRecord[];
  additions: AdditionRecord[];
}
