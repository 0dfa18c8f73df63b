import { Injectable } from '@nestjs/common';
import { LicensingQueries, type LicenceSaleView, type SoldLicenceView } from '../../licensing';
import { OrganizationTimeZone, ReconciliationOverview, type ExclusionView } from '../../reconciliation';
import { CustomerTenants } from '../../tenants';
import { BillableLicences, type BillingCustomer } from '../application/ports/billable-licences.port';
import type { BillableLicence } from '../domain/invoice-line';

// The one place billing reads licensing (and the tenants' names): the licensing door's read facade turned into
// billable licences, less what the reconciliation's exclusions ignore (from its door, here and only here).
@Injectable()
export class LicensingBillableLicences extends BillableLicences {
  constructor(
    private readonly licensing: LicensingQueries,
    private readonly tenants: CustomerTenants,
    private readonly timeZones: OrganizationTimeZone,
    private readonly reconciliation: ReconciliationOverview,
  ) {
    super();
  }

  async customers(organizationId: string): Promise<BillingCustomer[]> {
    return (await this.tenants.active(organizationId)).map(({ tenantId, companyName, domain }) => ({
      tenantId: tenantId.toLowerCase(),
      companyName,
      domain,
    }));
  }

  async customer(organizationId: string, tenantId: string): Promise<BillingCustomer | null> {
    const found = await this.tenants.find(organizationId, tenantId.toLowerCase());
    return found && found.status === 'active'
      ? { tenantId: found.tenantId.toLowerCase(), companyName: found.companyName, domain: found.domain }
      : null;
  }

  async ofTenant(organizationId: string, tenantId: string): Promise<BillableLicence[]> {
    const licences = await this.licensing.licencesOfTenant(organizationId, tenantId);
    if (licences.length === 0) return [];
    const sales = await this.licensing.licenceSales(organizationId, licences);
    const exclusions = await this.reconciliation.exclusions(organizationId);
    const saleOf = new Map(sales.map((s) => [`${s.tenantId.toLowerCase()}|${s.skuId.trim().toLowerCase()}`, s]));
    const ignored = ignoring(exclusions);
    return licences.map((licence) => {
      const sale = saleOf.get(`${licence.tenantId.toLowerCase()}|${licence.skuId.trim().toLowerCase()}`);
      return billable(licence, sale?.soldByYou ?? null, sale?.subscriptions ?? [], ignored);
    });
  }

  async *all(organizationId: string, known?: readonly BillingCustomer[]): AsyncIterable<BillableLicence[]> {
    // One read at a time: the recompute runs this inside its transaction, on one connection.
    const customers = known ?? (await this.customers(organizationId));
    const ignored = ignoring(await this.reconciliation.exclusions(organizationId));
    const active = new Set(customers.map((c) => c.tenantId));
    // The licences with how they are sold, set-based (one statement per batch, narrow rows): the same answer as
    // allLicences + licenceSales, which made the 10,000-tenant preview read four wide statements per batch.
    // 2,500 tenants a batch (some 10,000 licences): a whole organization in few round trips, in bounded memory.
    for await (const batch of this.licensing.soldLicences(organizationId, { tenantsPerBatch: 2500 })) {
      // Removed customers keep their last licences in licensing; they are no longer invoiced.
      const licences: BillableLicence[] = [];
      for (const licence of batch)
        if (active.has(licence.tenantId.toLowerCase())) licences.push(billable(licence, licence.soldByYou, licence.subscriptions, ignored));
      if (licences.length > 0) yield licences;
    }
  }

  timeZone(organizationId: string): Promise<string> {
    return this.timeZones.of(organizationId);
  }
}

type Sold = Pick<SoldLicenceView, 'tenantId' | 'skuId' | 'productName' | 'purchased' | 'assigned'>;
// Only "ignore" exclusions take a licence out of billing; "keep spare seats" is about discrepancies, not invoices.
type Ignored = { tenantId: string | null; skuId: string | null }[];

function ignoring(exclusions: readonly ExclusionView[]): Ignored {
  return exclusions
    .filter((e) => e.rule === 'ignore')
    .map((e) => ({ tenantId: e.tenantId?.toLowerCase() ?? null, skuId: e.skuId?.trim().toLowerCase() ?? null }));
}

function billable(
  licence: Sold,
  soldByYou: boolean | null,
  subscriptions: LicenceSaleView['subscriptions'],
  ignored: Ignored,
): BillableLicence {
  const tenantId = licence.tenantId.toLowerCase();
  const skuId = licence.skuId.trim().toLowerCase();
  const term = termOf(subscriptions);
  return {
    tenantId,
    skuId,
    productName: licence.productName,
    purchased: licence.purchased,
    assigned: licence.assigned,
    termDuration: term.termDuration,
    billingCycle: term.billingCycle,
    // Sync 365 reads no price list from Partner Center yet: cost-plus profiles use the cost the partner gives.
    unitCost: null,
    // Not sold by you only when the customer's directory says so; while it was never read, Partner Center listing
    // the licence for your customer is taken as yours (assumption: the common case for a CSP's own customers).
    soldByYou: soldByYou !== false,
    excluded: ignored.some((e) => (e.tenantId === null || e.tenantId === tenantId) && (e.skuId === null || e.skuId === skuId)),
  };
}

// The term and billing cycle of the SKU's Partner Center subscriptions. Where several subscriptions of different
// terms sell one SKU, the one with the most seats decides (assumption: one line per product and customer; a
// profile per term prices the main subscription).
function termOf(sold: LicenceSaleView['subscriptions']): { termDuration: string | null; billingCycle: string | null } {
  const subscriptions = sold.filter((s) => s.status.toLowerCase() !== 'deleted');
  if (subscriptions.length === 0) return { termDuration: null, billingCycle: null };
  const main = subscriptions.sort((a, b) => b.quantity - a.quantity || (a.id < b.id ? -1 : 1))[0];
  return {
    termDuration: main.termDuration?.toUpperCase() ?? null,
    billingCycle: main.billingCycle ? main.billingCycle.toLowerCase() : null,
  };
}
