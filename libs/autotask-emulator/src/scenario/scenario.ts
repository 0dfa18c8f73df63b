// A scenario: one Autotask database as plain JSON-able data. Dates are yyyy-mm-dd (UTC days); the emulator sends
// them as Autotask does, midnight UTC date-times.

export type ApiUserPermissions = 'full' | 'readOnly';

export interface ApiUser {
  userName: string;
  secret: string;
  integrationCode: string; // the API tracking identifier
  resourceId: number;
  permissions: ApiUserPermissions; // readOnly: every write answers 403
}

export interface ScenarioCompany {
  id: number;
  companyName: string;
  companyNumber?: string;
  companyType: number; // 1 Customer
  isActive: boolean;
  phone?: string;
  webAddress?: string;
}

export interface ScenarioService {
  id: number;
  name: string;
  description?: string;
  invoiceDescription?: string;
  unitPrice: number;
  unitCost: number;
  periodType: number; // 1 Monthly (the only billing period the invoice run models)
  isActive: boolean;
}

export interface ScenarioContract {
  id: number;
  companyID: number;
  contractName: string;
  contractNumber?: string;
  contractType: number; // 7 Recurring Service
  status: number; // 1 Active, 0 Inactive
  startDate: string; // yyyy-mm-dd; billing periods are months from this day
  endDate: string; // yyyy-mm-dd, inclusive
}

export interface ScenarioContractService {
  id: number;
  contractID: number;
  serviceID: number;
  units: number; // units from the contract's start (before any adjustment)
  unitPrice?: number; // default: the service's
  adjustedPrice?: number; // what the customer pays per unit; default unitPrice
  unitCost?: number;
  invoiceDescription?: string;
}

export interface ScenarioAdjustment {
  id: number;
  contractID: number;
  serviceID: number;
  contractServiceID: number;
  effectiveDate: string;
  unitChange: number;
}

export interface AutotaskScenario {
  name: string;
  zone: { zoneName: string; ci: number };
  apiUsers: ApiUser[];
  companies: ScenarioCompany[];
  services: ScenarioService[];
  contracts: ScenarioContract[];
  contractServices: ScenarioContractService[];
  adjustments?: ScenarioAdjustment[];
}
