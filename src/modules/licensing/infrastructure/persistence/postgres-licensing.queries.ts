import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { LicensingQueries, type LicenceView, type SubscriptionView } from '../../contracts/licensing-queries';
import { purchasedSeats } from '../../domain/licence-totals';
import { productName } from '../../domain/sku-catalog';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { isGuid } from '../../../../shared/domain/guid';

interface LicenceRow {
  tenant_id: string;
  sku_id: string;
  sku_part_number: string;
  partner_center_name: string | null;
  capability_status: string;
  active_units: number;
  warning_units: number;
  suspended_units: number;
  consumed_units: number;
  read_at: string;
}

interface SubscriptionRow {
  tenant_id: string;
  subscription_id: string;
  offer_id: string;
  offer_name: string;
  friendly_name: string | null;
  quantity: number;
  term_duration: string | null;
  billing_cycle: string;
  status: string;
  auto_renew_enabled: boolean;
  is_trial: boolean;
  commitment_end_date: string | null;
  cancellation_allowed_until_date: string | null;
  read_at: string;
}

const LICENCE_COLUMNS = `l.tenant_id, l.sku_id, l.sku_part_number, l.partner_center_name, l.capability_status, l.active_units, l.warning_units,
  l.suspended_units, l.consumed_units, r.read_at`;
// Every number shows when it was last read: the tenant's read time, which moves on every read (the rows do not).
const LICENCES_WITH_READ_TIME = `tenant_licences l join tenant_licence_reads r on r.organization_id = l.organization_id and r.tenant_id = l.tenant_id`;

// Read models straight from SQL (no identity map): pages and the CSV export only look.
@Injectable()
export class PostgresLicensingQueries extends LicensingQueries {
  // How many tenants' licences one batch of `allLicences` holds (a tenant has a few dozen SKUs at most).
  tenantsPerBatch = 200;

  constructor(private readonly em: EntityManager) {
    super();
  }

  async licencesOfTenant(organizationId: string, tenantId: string): Promise<LicenceView[]> {
    // A tenant id is a GUID (a uuid column): anything else names no tenant, rather than failing the query.
    if (!isGuid(tenantId)) return [];
    const rows = await rawSql<LicenceRow>(this.em, `select ${LICENCE_COLUMNS} from ${LICENCES_WITH_READ_TIME} where l.organization_id = ? and l.tenant_id = ?`, [organizationId, tenantId.toLowerCase()]);
    return sortLicences(rows.map(toLicenceView));
  }

  async subscriptionsOfTenant(organizationId: string, tenantId: string): Promise<SubscriptionView[]> {
    if (!isGuid(tenantId)) return [];
    const rows = await rawSql<SubscriptionRow>(this.em, 
      `select s.tenant_id, s.subscription_id, s.offer_id, s.offer_name, s.friendly_name, s.quantity, s.term_duration, s.billing_cycle, s.status,
              s.auto_renew_enabled, s.is_trial, s.commitment_end_date, s.cancellation_allowed_until_date, r.read_at
       from tenant_subscriptions s join tenant_licence_reads r on r.organization_id = s.organization_id and r.tenant_id = s.tenant_id
       where s.organization_id = ? and s.tenant_id = ?`,
      [organizationId, tenantId.toLowerCase()],
    );
    return rows.map(toSubscriptionView).sort((a, b) => a.offerName.localeCompare(b.offerName) || compare(a.id, b.id));
  }

  // Keyset pages of whole tenants (never OFFSET, never one tenant split across batches), so each batch can be
  // ordered by product name, which the catalogue decides outside SQL.
  async *allLicences(organizationId: string): AsyncIterable<LicenceView[]> {
    let after: string | null = null;
    for (;;) {
      const tenants: { tenant_id: string }[] = await rawSql<{ tenant_id: string }>(this.em, 
        `select distinct tenant_id from tenant_licences where organization_id = ?${after ? ' and tenant_id > ?' : ''} order by tenant_id limit ?`,
        after ? [organizationId, after, this.tenantsPerBatch] : [organizationId, this.tenantsPerBatch],
      );
      if (tenants.length === 0) return;
      const rows = await rawSql<LicenceRow>(this.em, `select ${LICENCE_COLUMNS} from ${LICENCES_WITH_READ_TIME} where l.organization_id = ? and l.tenant_id in (?)`, [
        organizationId,
        tenants.map((t) => t.tenant_id),
      ]);
      yield sortLicences(rows.map(toLicenceView));
      if (tenants.length < this.tenantsPerBatch) return;
      after = tenants[tenants.length - 1].tenant_id;
    }
  }

}

function toLicenceView(row: LicenceRow): LicenceView {
  const counts = { activeUnits: row.active_units, warningUnits: row.warning_units, consumedUnits: row.consumed_units };
  const purchased = purchasedSeats(counts);
  return {
    tenantId: row.tenant_id,
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    productName: productName({ skuId: row.sku_id, skuPartNumber: row.sku_part_number, partnerCenterName: row.partner_center_name }),
    capabilityStatus: row.capability_status,
    purchased,
    assigned: row.consumed_units,
    // Partner Center's availableUnits (total − consumed): negative when more seats are assigned than purchased.
    available: purchased - row.consumed_units,
    suspended: row.suspended_units,
    warning: row.warning_units,
    readAt: sqlTime(row.read_at).toISOString(),
  };
}

function toSubscriptionView(row: SubscriptionRow): SubscriptionView {
  return {
    tenantId: row.tenant_id,
    id: row.subscription_id,
    // Legacy subscriptions come without an offer name (FACTS.md §2.6): the friendly name, else the offer id.
    offerName: row.offer_name || row.friendly_name || row.offer_id,
    friendlyName: row.friendly_name,
    quantity: row.quantity,
    termDuration: row.term_duration,
    billingCycle: row.billing_cycle,
    status: row.status,
    autoRenewEnabled: row.auto_renew_enabled,
    isTrial: row.is_trial,
    commitmentEndDate: row.commitment_end_date ? sqlTime(row.commitment_end_date).toISOString() : null,
    cancellationAllowedUntilDate: row.cancellation_allowed_until_date ? sqlTime(row.cancellation_allowed_until_date).toISOString() : null,
    readAt: sqlTime(row.read_at).toISOString(),
  };
}

// By tenant, then product name; the SKU id keeps the order stable when two SKUs share a name.
function sortLicences(views: LicenceView[]): LicenceView[] {
  return views.sort((a, b) => compare(a.tenantId, b.tenantId) || a.productName.localeCompare(b.productName) || compare(a.skuId, b.skuId));
}

// Code-point order, as PostgreSQL orders the uuid keyset (locale collation could disagree).
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
