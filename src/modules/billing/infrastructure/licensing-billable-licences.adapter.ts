import { Injectable } from '@nestjs/common';
import { LicensingQueries, type LicenceSaleView, type LicenceView } from '../../licensing';
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
    return billable(licences, sales, exclusions);
  }

  async *all(organizationId: string, known?: readonly BillingCustomer[]): AsyncIterable<BillableLicence[]> {
    // One read at a time: the recompute runs this inside its transaction, on one connection.
    const customers = known ?? (await this.customers(organizationId));
    const exclusions = await this.reconciliation.exclusions(organizationId);
    const active = new Set(customers.map((c) => c.tenantId));
    // 1,000 tenants a batch (a few thousand licences): a whole organization in few round trips.
    for await (const batch of this.licensing.allLicences(organizationId, { tenantsPerBatch: 1000 })) {
      // Removed customers keep their last licences in licensing; they are no longer invoiced.
      const licences = batch.filter((l) => active.has(l.tenantId.toLowerCase()));
      if (licences.length === 0) continue;
      const sales = await this.licensing.licenceSales(organizationId, licences);
      yield billable(licences, sales, exclusions);
    }
  }

  timeZone(organizationId: string): Promise<string> {
    return this.timeZones.of(organizationId);
  }
}

function billable(
  licences: readonly LicenceView[],
  sales: readonly LicenceSaleView[],
  exclusions: readonly ExclusionView[],
): BillableLicence[] {
  const saleOf = new Map(sales.map((s) => [`${s.tenantId.toLowerCase()}|${s.skuId.trim().toLowerCase()}`, s]));
  // Only "ignore" exclusions take a licence out of billing; "keep spare seats" is about discrepancies, not invoices.
  const ignored = exclusions.filter((e) => e.rule === 'ignore');
  return licences.map((licence) => {
    const tenantId = licence.tenantId.toLowerCase();
    const skuId = licence.skuId.trim().toLowerCase();
    const sale = saleOf.get(`${tenantId}|${skuId}`);
    const term = termOf(sale);
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
      soldByYou: sale?.soldByYou !== false,
      excluded: ignored.some(
        (e) =>
          (e.tenantId === null || e.tenantId.toLowerCase() === tenantId) && (e.skuId === null || e.skuId.trim().toLowerCase() === skuId),
      ),
    };
  });
}

// The term and billing cycle of the SKU's Partner Center subscriptions. Where several subscriptions of different
// terms sell one SKU, the one with the most seats decides (assumption: one line per product and customer; a
// profile per term prices the main subscription).
function termOf(sale: LicenceSaleView | undefined): { termDuration: string | null; billingCycle: string | null } {
  const subscriptions = (sale?.subscriptions ?? []).filter((s) => s.status.toLowerCase() !== 'deleted');
  if (subscriptions.length === 0) return { termDuration: null, billingCycle: null };
  const main = [...subscriptions].sort((a, b) => b.quantity - a.quantity || (a.id < b.id ? -1 : 1))[0];
  return {
    termDuration: main.termDuration?.toUpperCase() ?? null,
    billingCycle: main.billingCycle ? main.billingCycle.toLowerCase() : null,
  };
}
