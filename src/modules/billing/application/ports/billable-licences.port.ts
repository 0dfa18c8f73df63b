import type { BillableLicence } from '../../domain/invoice-line';

export interface BillingCustomer {
  tenantId: string;
  companyName: string;
  domain: string;
}

// Billing's only way to licence data (implemented over the licensing and tenants doors by one adapter).
export abstract class BillableLicences {
  // The organization's active customer tenants, by name.
  abstract customers(organizationId: string): Promise<BillingCustomer[]>;
  abstract customer(organizationId: string, tenantId: string): Promise<BillingCustomer | null>;
  abstract ofTenant(organizationId: string, tenantId: string): Promise<BillableLicence[]>;
  // Every licence of the active customer tenants, in batches of whole tenants.
  // customers: the active customers when the caller has read them already (one read fewer).
  abstract all(organizationId: string, customers?: readonly BillingCustomer[]): AsyncIterable<BillableLicence[]>;
  // The organization's time zone (billing periods are its calendar months).
  abstract timeZone(organizationId: string): Promise<string>;
}
