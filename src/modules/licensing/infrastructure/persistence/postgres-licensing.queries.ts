import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  LicensingQueries,
  type DirectoryReadView,
  type DirectorySubscriptionMatchView,
  type LicenceSaleView,
  type LicenceView,
  type SoldLicenceView,
  type SubscriptionMatchesView,
  type SubscriptionView,
} from '../../contracts/licensing-queries';
import { LicencePageQueries, type KeysetPage, type LicenceFilter, type SubscriptionFilter } from '../../application/licence-page-queries';
import { purchasedSeats } from '../../domain/licence-totals';
import { productName } from '../../domain/sku-catalog';
import { matchSubscriptions } from '../../domain/subscription-matching';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { microsoftCatalogueNames } from './microsoft-catalogue-names';
import { isGuid } from '../../../../shared/domain/guid';
import { groupBy } from '../../../../shared/domain/group-by';
import { keysetPage } from './keyset-page';

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
  locked_out_units: number;
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
  refundable_quantity: number | null;
  scheduled_quantity: number | null;
  catalogue_name: string | null;
  read_at: string;
}

// A directory subscription as stored, before it is matched and named.
type DirectorySubscription = Omit<DirectorySubscriptionMatchView, 'productName' | 'partnerCenter'>;

interface DirectorySubscriptionRow {
  tenant_id: string;
  directory_subscription_id: string;
  commerce_subscription_id: string | null;
  sku_id: string;
  sku_part_number: string;
  status: string;
  total_licenses: number;
  is_trial: boolean;
  created_date_time: string | null;
  next_lifecycle_date_time: string | null;
  owner_tenant_id: string | null;
  sold_by_you: boolean | null;
}

interface SoldLicenceRow {
  tenant_id: string;
  sku_id: string;
  sku_part_number: string;
  partner_center_name: string | null;
  active_units: number;
  warning_units: number;
  consumed_units: number;
  sold_by_you: boolean | null;
  // One row per Partner Center subscription that sells the licence; null: none does.
  subscription_id: string | null;
  quantity: number | null;
  term_duration: string | null;
  billing_cycle: string | null;
  status: string | null;
}

interface DirectoryReadRow {
  directory_read_at: string | null;
  directory_failure: string | null;
  directory_failed_at: string | null;
}

const LICENCE_COLUMNS = `l.tenant_id, l.sku_id, l.sku_part_number, l.partner_center_name, l.capability_status, l.active_units, l.warning_units,
  l.suspended_units, l.consumed_units, l.locked_out_units, r.read_at`;
const SUBSCRIPTION_SELECT = `select s.tenant_id, s.subscription_id, s.offer_id, s.offer_name, s.friendly_name, s.quantity, s.term_duration, s.billing_cycle, s.status,
    s.auto_renew_enabled, s.is_trial, s.commitment_end_date, s.cancellation_allowed_until_date, s.refundable_quantity, s.scheduled_quantity, s.catalogue_name, r.read_at
  from tenant_subscriptions s join tenant_licence_reads r on r.organization_id = s.organization_id and r.tenant_id = s.tenant_id`;
// Every number shows when it was last read: the tenant's read time, which moves on every read (the rows do not).
// Rows of a tenant whose latest read could not list its licences (no licence-reading GDAP role) are the last known,
// not the current: left out, so no page, CSV or API shows them as current (the tenants say "not readable").
const LICENCES_WITH_READ_TIME = `tenant_licences l join tenant_licence_reads r on r.organization_id = l.organization_id and r.tenant_id = l.tenant_id
  and r.licences_failure is null`;

// purchasedSeats (domain/licence-totals.ts) in SQL, for filtering pages by unassigned seats.
const PURCHASED_SQL = '(l.active_units + l.warning_units)';

// Read models straight from SQL (no identity map): pages, the CSV export and the API only look.
@Injectable()
export class PostgresLicensingQueries extends LicensingQueries implements LicencePageQueries {
  // How many tenants' licences one batch of `allLicences` holds (a tenant has a few dozen SKUs at most).
  tenantsPerBatch = 200;

  constructor(private readonly em: EntityManager) {
    super();
  }

  async licencesOfTenant(organizationId: string, tenantId: string): Promise<LicenceView[]> {
    return (await this.licencesOfTenants(organizationId, [tenantId])).get(tenantId.toLowerCase()) ?? [];
  }

  // A page of tenants' licences with one statement (and one for their catalogue names).
  override async licencesOfTenants(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, LicenceView[]>> {
    const { byTenant, tenants } = pageOfTenants<LicenceView>(tenantIds);
    for (const [tenantId, licences] of groupBy(await this.licencesOf(organizationId, tenants), (l) => l.tenantId))
      byTenant.set(tenantId, licences);
    return byTenant;
  }

  // These tenants' licences (lower-case ids, as stored), ordered by tenant then product.
  private async licencesOf(organizationId: string, tenantIds: readonly string[]): Promise<LicenceView[]> {
    if (tenantIds.length === 0) return [];
    const rows = await rawSql<LicenceRow>(
      this.em,
      `select ${LICENCE_COLUMNS} from ${LICENCES_WITH_READ_TIME} where l.organization_id = ? and l.tenant_id in (?)`,
      [organizationId, tenantIds],
    );
    const names = await microsoftCatalogueNames(this.em, organizationId, skusOf(rows));
    return sortLicences(rows.map((row) => toLicenceView(row, names)));
  }

  async subscriptionsOfTenant(organizationId: string, tenantId: string): Promise<SubscriptionView[]> {
    return (await this.subscriptionsOfTenants(organizationId, [tenantId])).get(tenantId.toLowerCase()) ?? [];
  }

  override async subscriptionsOfTenants(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, SubscriptionView[]>> {
    const { byTenant, tenants } = pageOfTenants<SubscriptionView>(tenantIds);
    const subscriptions = await this.partnerCenterSubscriptionsOf(organizationId, tenants);
    if (subscriptions.size === 0) return byTenant;
    const directory = await this.directorySubscriptionsOf(organizationId, [...subscriptions.keys()]);
    for (const [tenantId, ofTenant] of subscriptions) {
      const matched = matchSubscriptions({ partnerCenter: ofTenant, directory: directory.get(tenantId) ?? [], skuIds: [] });
      byTenant.set(tenantId, matched.partnerCenter.map(withDirectory));
    }
    return byTenant;
  }

  async tenantReadAt(organizationId: string, tenantId: string): Promise<Date | null> {
    if (!isGuid(tenantId)) return null;
    const [row] = await rawSql<{ read_at: string }>(
      this.em,
      'select read_at from tenant_licence_reads where organization_id = ? and tenant_id = ?',
      [organizationId, tenantId.toLowerCase()],
    );
    return row ? sqlTime(row.read_at) : null;
  }

  async licencesUnreadable(organizationId: string, tenantId: string): Promise<{ reason: string; at: Date } | null> {
    if (!isGuid(tenantId)) return null;
    const [row] = await rawSql<{ licences_failure: string | null; licences_failed_at: string | null }>(
      this.em,
      'select licences_failure, licences_failed_at from tenant_licence_reads where organization_id = ? and tenant_id = ?',
      [organizationId, tenantId.toLowerCase()],
    );
    const at = row ? sqlTime(row.licences_failed_at) : null;
    return row?.licences_failure && at ? { reason: row.licences_failure, at } : null;
  }

  async licencePage(
    organizationId: string,
    filter: LicenceFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicenceView>> {
    const where = ['l.organization_id = ?'];
    const params: unknown[] = [organizationId];
    if (filter.tenantId) {
      where.push('l.tenant_id = ?');
      params.push(filter.tenantId.toLowerCase());
    }
    if (filter.skuId) {
      where.push('lower(l.sku_id) = ?');
      params.push(filter.skuId.trim().toLowerCase());
    }
    if (filter.unassigned) where.push(`${PURCHASED_SQL} > l.consumed_units`);
    if (after) {
      where.push('(l.tenant_id, l.sku_id) > (?::uuid, ?)');
      params.push(...after);
    }
    // One row more than asked tells whether another page follows.
    const rows = await rawSql<LicenceRow>(
      this.em,
      `select ${LICENCE_COLUMNS} from ${LICENCES_WITH_READ_TIME} where ${where.join(' and ')} order by l.tenant_id, l.sku_id limit ?`,
      [...params, limit + 1],
    );
    const names = await microsoftCatalogueNames(this.em, organizationId, skusOf(rows));
    return keysetPage(
      rows,
      limit,
      (row) => toLicenceView(row, names),
      (row) => [row.tenant_id, row.sku_id],
    );
  }

  async subscriptionPage(
    organizationId: string,
    filter: SubscriptionFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<SubscriptionView>> {
    const where = ['s.organization_id = ?'];
    const params: unknown[] = [organizationId];
    if (filter.tenantId) {
      where.push('s.tenant_id = ?');
      params.push(filter.tenantId.toLowerCase());
    }
    if (filter.status) {
      where.push('lower(s.status) = ?');
      params.push(filter.status.toLowerCase());
    }
    const sku = filter.skuId?.trim().toLowerCase();
    if (sku) {
      // Narrows the page in SQL to subscriptions a directory subscription of that SKU names; the match below decides.
      where.push(`exists (select 1 from tenant_directory_subscriptions d where d.organization_id = s.organization_id and d.tenant_id = s.tenant_id
                          and lower(trim(d.commerce_subscription_id)) = lower(trim(s.subscription_id)) and lower(trim(d.sku_id)) = ?)`);
      params.push(sku);
    }
    if (after) {
      where.push('(s.tenant_id, s.subscription_id) > (?::uuid, ?)');
      params.push(...after);
    }
    const rows = await rawSql<SubscriptionRow>(
      this.em,
      `${SUBSCRIPTION_SELECT} where ${where.join(' and ')} order by s.tenant_id, s.subscription_id limit ?`,
      [...params, limit + 1],
    );
    const page = keysetPage(rows, limit, toSubscriptionView, (row) => [row.tenant_id, row.subscription_id]);
    // Matched tenant by tenant, as subscriptionsOfTenant does (each tenant's directory read once per page).
    const matched = new Map<string, SubscriptionView>();
    for (const tenantId of new Set(page.items.map((s) => s.tenantId))) {
      const directory = await this.directorySubscriptions(organizationId, tenantId);
      const ofTenant = page.items.filter((s) => s.tenantId === tenantId);
      for (const match of matchSubscriptions({ partnerCenter: ofTenant, directory, skuIds: [] }).partnerCenter)
        matched.set(`${tenantId}|${match.subscription.id}`, withDirectory(match));
    }
    const items = page.items.map((s) => matched.get(`${s.tenantId}|${s.id}`)!).filter((s) => !sku || s.skuId === sku);
    return { items, next: page.next };
  }

  async subscriptionMatches(organizationId: string, tenantId: string): Promise<SubscriptionMatchesView> {
    if (!isGuid(tenantId))
      return { tenantId, directory: { readAt: null, failure: null }, directorySubscriptions: [], partnerCenterOnly: null, skus: [] };
    const tenant = tenantId.toLowerCase();
    const [read] = await rawSql<DirectoryReadRow>(
      this.em,
      'select directory_read_at, directory_failure, directory_failed_at from tenant_licence_reads where organization_id = ? and tenant_id = ?',
      [organizationId, tenant],
    );
    const directoryRead = toDirectoryReadView(read);
    const licences = await this.licencesOfTenant(organizationId, tenant);
    const subscriptions = await this.partnerCenterSubscriptions(organizationId, tenant);
    // Rows are stored only by a read that succeeded, so none without a read time.
    const directory = directoryRead.readAt === null ? null : await this.directorySubscriptions(organizationId, tenant);
    const matching = matchSubscriptions({ partnerCenter: subscriptions, directory, skuIds: licences.map((l) => l.skuId) });

    // The directory's SKUs are named like the tenant's licences, with Partner Center's name where the catalogue has none.
    const licenceBySku = new Map(licences.map((l) => [l.skuId, l]));
    const names = await microsoftCatalogueNames(
      this.em,
      organizationId,
      matching.directory.map((m) => m.subscription.skuId),
    );
    const nameOf = (sku: { skuId: string; skuPartNumber: string }) =>
      licenceBySku.get(sku.skuId)?.productName ??
      productName({ ...sku, partnerCenterName: null, microsoftCatalogueName: names.get(sku.skuId.trim().toLowerCase()) });
    const directorySubscriptions = matching.directory
      .map(({ subscription, partnerCenter, soldByYou }): DirectorySubscriptionMatchView => ({
        ...subscription,
        productName: nameOf(subscription),
        soldByYou,
        partnerCenter: partnerCenter && {
          id: partnerCenter.id,
          offerName: partnerCenter.offerName,
          quantity: partnerCenter.quantity,
          status: partnerCenter.status,
        },
      }))
      .sort((a, b) => byName(a.productName, b.productName) || compare(a.id, b.id));
    return {
      tenantId: tenant,
      directory: directoryRead,
      directorySubscriptions,
      // Named by no directory subscription, so without a SKU or tenant units.
      partnerCenterOnly: matching.partnerCenterOnly,
      // In the licences' order (by product name).
      skus: matching.skus.map(({ skuId, soldByYou }, i) => ({ skuId, productName: licences[i].productName, soldByYou })),
    };
  }

  // Without their directory match (skuId and tenantUnits null), ordered by offer name.
  private async partnerCenterSubscriptions(organizationId: string, tenantId: string): Promise<SubscriptionView[]> {
    return (await this.partnerCenterSubscriptionsOf(organizationId, [tenantId])).get(tenantId) ?? [];
  }

  // By tenant (lower-case ids in, as stored), each tenant's sorted by name.
  private async partnerCenterSubscriptionsOf(
    organizationId: string,
    tenantIds: readonly string[],
  ): Promise<Map<string, SubscriptionView[]>> {
    if (tenantIds.length === 0) return new Map();
    const rows = await rawSql<SubscriptionRow>(this.em, `${SUBSCRIPTION_SELECT} where s.organization_id = ? and s.tenant_id in (?)`, [
      organizationId,
      tenantIds,
    ]);
    const byTenant = groupBy(rows.map(toSubscriptionView), (subscription) => subscription.tenantId);
    for (const ofTenant of byTenant.values()) ofTenant.sort((a, b) => byName(a.offerName, b.offerName) || compare(a.id, b.id));
    return byTenant;
  }

  private async directorySubscriptions(organizationId: string, tenantId: string): Promise<DirectorySubscription[]> {
    return (await this.directorySubscriptionsOf(organizationId, [tenantId])).get(tenantId) ?? [];
  }

  private async directorySubscriptionsOf(
    organizationId: string,
    tenantIds: readonly string[],
  ): Promise<Map<string, DirectorySubscription[]>> {
    if (tenantIds.length === 0) return new Map();
    const rows = await rawSql<DirectorySubscriptionRow>(
      this.em,
      `select tenant_id, directory_subscription_id, commerce_subscription_id, sku_id, sku_part_number, status, total_licenses, is_trial, created_date_time,
              next_lifecycle_date_time, owner_tenant_id, sold_by_you
       from tenant_directory_subscriptions where organization_id = ? and tenant_id in (?)`,
      [organizationId, tenantIds],
    );
    const byTenant = groupBy(rows, (row) => row.tenant_id);
    return new Map([...byTenant].map(([tenantId, ofTenant]) => [tenantId, ofTenant.map(toDirectorySubscription)]));
  }

  async licenceSales(organizationId: string, licences: readonly Pick<LicenceView, 'tenantId' | 'skuId'>[]): Promise<LicenceSaleView[]> {
    const skus = licences.filter((l) => isGuid(l.tenantId)).map((l) => ({ tenant_id: l.tenantId.toLowerCase(), sku_id: l.skuId }));
    const tenants = [...new Set(skus.map((s) => s.tenant_id))];
    if (tenants.length === 0) return [];
    // Three set-based reads for the whole batch (the licences are the caller's), then matched tenant by tenant as
    // subscriptionMatches does. One after the other: inside a transaction they share one connection.
    const reads = await rawSql<{ tenant_id: string; directory_read_at: string | null }>(
      this.em,
      'select tenant_id, directory_read_at from tenant_licence_reads where organization_id = ? and tenant_id in (?)',
      [organizationId, tenants],
    );
    const subscriptions = await rawSql<SubscriptionRow>(
      this.em,
      `${SUBSCRIPTION_SELECT} where s.organization_id = ? and s.tenant_id in (?)`,
      [organizationId, tenants],
    );
    const directory = await rawSql<DirectorySubscriptionRow & { tenant_id: string }>(
      this.em,
      `select tenant_id, directory_subscription_id, commerce_subscription_id, sku_id, sku_part_number, status, total_licenses, is_trial, created_date_time,
              next_lifecycle_date_time, owner_tenant_id, sold_by_you
       from tenant_directory_subscriptions where organization_id = ? and tenant_id in (?)`,
      [organizationId, tenants],
    );
    const readAt = new Map(reads.map((r) => [r.tenant_id, r.directory_read_at]));
    const skusByTenant = groupBy(skus, (row) => row.tenant_id);
    const subscriptionsByTenant = groupBy(subscriptions, (row) => row.tenant_id);
    const directoryByTenant = groupBy(directory, (row) => row.tenant_id);
    const sales: LicenceSaleView[] = [];
    for (const [tenantId, tenantSkus] of skusByTenant) {
      const partnerCenter = (subscriptionsByTenant.get(tenantId) ?? []).map(toSubscriptionView);
      const directoryRows = readAt.get(tenantId) ? (directoryByTenant.get(tenantId) ?? []) : null;
      const directorySubscriptions =
        directoryRows?.map((row) => ({
          id: row.directory_subscription_id,
          commerceSubscriptionId: row.commerce_subscription_id,
          skuId: row.sku_id,
          totalLicenses: row.total_licenses,
          soldByYou: row.sold_by_you,
        })) ?? null;
      const matching = matchSubscriptions({ partnerCenter, directory: directorySubscriptions, skuIds: tenantSkus.map((s) => s.sku_id) });
      for (const sku of matching.skus) {
        const key = sku.skuId.trim().toLowerCase();
        const named = matching.partnerCenter.filter((m) => m.skuId === key).map((m) => m.subscription);
        sales.push({
          tenantId,
          skuId: sku.skuId,
          soldByYou: sku.soldByYou,
          subscriptions: named.map((s) => ({
            id: s.id,
            quantity: s.quantity,
            termDuration: s.termDuration,
            billingCycle: s.billingCycle,
            status: s.status,
          })),
        });
      }
    }
    return sales;
  }

  // Keyset pages of whole tenants (never OFFSET, never one tenant split across batches), so each batch can be
  // ordered by product name, which the catalogue decides outside SQL.
  async *allLicences(organizationId: string, options: { tenantsPerBatch?: number } = {}): AsyncIterable<LicenceView[]> {
    const tenantsPerBatch = options.tenantsPerBatch ?? this.tenantsPerBatch;
    let after: string | null = null;
    for (;;) {
      // The tenants from their read rows (one per tenant, its primary key): a keyset step of `distinct` over every
      // licence row made the whole export quadratic in the number of tenants. Licences without a read row are never
      // listed anyway (LICENCES_WITH_READ_TIME).
      const tenants: { tenant_id: string }[] = await rawSql<{ tenant_id: string }>(
        this.em,
        `select tenant_id from tenant_licence_reads where organization_id = ?${after ? ' and tenant_id > ?' : ''} order by tenant_id limit ?`,
        after ? [organizationId, after, tenantsPerBatch] : [organizationId, tenantsPerBatch],
      );
      if (tenants.length === 0) return;
      yield await this.licencesOf(
        organizationId,
        tenants.map((t) => t.tenant_id),
      );
      if (tenants.length < tenantsPerBatch) return;
      after = tenants[tenants.length - 1].tenant_id;
    }
  }

  // Per batch two statements: where the batch of whole tenants ends (a keyset step over the read rows, as allLicences),
  // then its licences with how they are sold, narrow rows only (no read times, no subscription views, no lists of ids
  // sent). One after the other: the recompute reads inside its transaction, on one connection.
  override async *soldLicences(organizationId: string, options: { tenantsPerBatch?: number } = {}): AsyncIterable<SoldLicenceView[]> {
    const tenantsPerBatch = options.tenantsPerBatch ?? this.tenantsPerBatch;
    let after: string | null = null;
    for (;;) {
      const from: unknown[] = after ? [organizationId, after] : [organizationId];
      const [batch]: { last: string; tenants: number }[] = await rawSql<{ last: string; tenants: number }>(
        this.em,
        `select tenant_id as last, (count(*) over ())::int as tenants from (
           select tenant_id from tenant_licence_reads where organization_id = ?${after ? ' and tenant_id > ?' : ''} and licences_failure is null
           order by tenant_id limit ?
         ) batch order by tenant_id desc limit 1`,
        [...from, tenantsPerBatch],
      );
      if (!batch) return;
      const rows = await rawSql<SoldLicenceRow>(this.em, soldLicencesSql(after === null), [
        ...from,
        batch.last,
        organizationId,
        organizationId,
      ]);
      const views = toSoldLicenceViews(rows, await microsoftCatalogueNames(this.em, organizationId, skusOf(rows)));
      if (views.length > 0) yield views;
      if (batch.tenants < tenantsPerBatch) return;
      after = batch.last;
    }
  }
}

// soldLicences for one batch of tenants (tenant_id in (after, last]; no lower bound for the first): licenceSales'
// matching (subscription-matching.ts) in SQL. A directory subscription names the Partner Center subscription whose id
// is its commerceSubscriptionId (ids compared trimmed and without regard to case, as idKey); who sold it is Graph's
// sold_by_you, else whether it names one of yours; a SKU is sold by you when any of its directory subscriptions is;
// the subscriptions that sell a licence are those a directory subscription of its SKU names (one row each). A tenant
// whose directory was never read knows neither (sold_by_you null, no subscription). Where two directory subscriptions
// of different SKUs name one Partner Center subscription (not seen from Microsoft), it sells the lower SKU id here;
// licenceSales takes whichever directory row came first.
const soldLicencesSql = (first: boolean) => `with t as (
    select tenant_id, directory_read_at from tenant_licence_reads
    where organization_id = ?${first ? '' : ' and tenant_id > ?'} and tenant_id <= ? and licences_failure is null
  ), named as (
    select d.tenant_id, lower(trim(d.sku_id)) as sku, coalesce(d.sold_by_you, p.subscription_id is not null) as sold_by_you, p.subscription_id,
           p.quantity, p.term_duration, p.billing_cycle, p.status
    from t
    join tenant_directory_subscriptions d on d.organization_id = ? and d.tenant_id = t.tenant_id
    left join tenant_subscriptions p on p.organization_id = d.organization_id and p.tenant_id = d.tenant_id
      and lower(trim(p.subscription_id)) = lower(trim(d.commerce_subscription_id))
    where t.directory_read_at is not null
  ), sold as (
    select tenant_id, sku, bool_or(sold_by_you) as sold_by_you from named group by tenant_id, sku
  ), selling as (
    select distinct on (tenant_id, subscription_id) tenant_id, sku, subscription_id, quantity, term_duration, billing_cycle, status
    from named where subscription_id is not null order by tenant_id, subscription_id, sku
  )
  select l.tenant_id, l.sku_id, l.sku_part_number, l.partner_center_name, l.active_units, l.warning_units, l.consumed_units,
         case when t.directory_read_at is null then null else coalesce(sold.sold_by_you, false) end as sold_by_you,
         selling.subscription_id, selling.quantity, selling.term_duration, selling.billing_cycle, selling.status
  from t
  join tenant_licences l on l.organization_id = ? and l.tenant_id = t.tenant_id
  left join sold on sold.tenant_id = l.tenant_id and sold.sku = lower(trim(l.sku_id))
  left join selling on selling.tenant_id = l.tenant_id and selling.sku = lower(trim(l.sku_id))
  order by l.tenant_id, l.sku_id`;

// One view per licence from its rows (consecutive: ordered by tenant and SKU), in allLicences' order.
// The SKUs of a batch of rows, to name them (microsoftCatalogueNames).
function skusOf(rows: readonly { sku_id: string }[]): string[] {
  return rows.map((row) => row.sku_id);
}

function toSoldLicenceViews(rows: readonly SoldLicenceRow[], microsoftNames: ReadonlyMap<string, string>): SoldLicenceView[] {
  const views: SoldLicenceView[] = [];
  let last: SoldLicenceRow | null = null;
  let view: SoldLicenceView | null = null;
  for (const row of rows) {
    if (!view || !last || row.tenant_id !== last.tenant_id || row.sku_id !== last.sku_id) {
      view = {
        tenantId: row.tenant_id,
        skuId: row.sku_id,
        productName: productName({
          skuId: row.sku_id,
          skuPartNumber: row.sku_part_number,
          partnerCenterName: row.partner_center_name,
          microsoftCatalogueName: microsoftNames.get(row.sku_id.trim().toLowerCase()),
        }),
        purchased: purchasedSeats({ activeUnits: row.active_units, warningUnits: row.warning_units, consumedUnits: row.consumed_units }),
        assigned: row.consumed_units,
        soldByYou: row.sold_by_you,
        subscriptions: [],
      };
      views.push(view);
    }
    last = row;
    if (row.subscription_id !== null)
      view.subscriptions.push({
        id: row.subscription_id,
        quantity: row.quantity as number,
        termDuration: row.term_duration,
        billingCycle: row.billing_cycle as string,
        status: row.status as string,
      });
  }
  return views.sort((a, b) => compare(a.tenantId, b.tenantId) || byName(a.productName, b.productName) || compare(a.skuId, b.skuId));
}

function toLicenceView(row: LicenceRow, microsoftNames: ReadonlyMap<string, string> = new Map()): LicenceView {
  const counts = { activeUnits: row.active_units, warningUnits: row.warning_units, consumedUnits: row.consumed_units };
  const purchased = purchasedSeats(counts);
  return {
    tenantId: row.tenant_id,
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    productName: productName({
      skuId: row.sku_id,
      skuPartNumber: row.sku_part_number,
      partnerCenterName: row.partner_center_name,
      microsoftCatalogueName: microsoftNames.get(row.sku_id.trim().toLowerCase()),
    }),
    capabilityStatus: row.capability_status,
    purchased,
    assigned: row.consumed_units,
    // Partner Center's availableUnits (total − consumed): negative when more seats are assigned than purchased.
    available: purchased - row.consumed_units,
    suspended: row.suspended_units,
    warning: row.warning_units,
    lockedOut: row.locked_out_units ?? 0,
    readAt: sqlTime(row.read_at).toISOString(),
  };
}

function toSubscriptionView(row: SubscriptionRow): SubscriptionView {
  return {
    tenantId: row.tenant_id,
    id: row.subscription_id,
    // Legacy subscriptions come without an offer name (FACTS.md §2.6): the friendly name, else the offer id.
    // Microsoft's catalogue title comes before the partner's friendly name and a bare offer id (FACTS.md §7a.8).
    offerName: row.offer_name || row.catalogue_name || row.friendly_name || row.offer_id,
    friendlyName: row.friendly_name,
    quantity: row.quantity,
    termDuration: row.term_duration,
    billingCycle: row.billing_cycle,
    status: row.status,
    autoRenewEnabled: row.auto_renew_enabled,
    isTrial: row.is_trial,
    commitmentEndDate: isoTime(row.commitment_end_date),
    cancellationAllowedUntilDate: isoTime(row.cancellation_allowed_until_date),
    refundableQuantity: row.refundable_quantity,
    scheduledQuantity: row.scheduled_quantity,
    readAt: sqlTime(row.read_at).toISOString(),
    skuId: null,
    tenantUnits: null,
  };
}

function withDirectory(match: { subscription: SubscriptionView; skuId: string | null; tenantUnits: number | null }): SubscriptionView {
  return { ...match.subscription, skuId: match.skuId, tenantUnits: match.tenantUnits };
}

function toDirectoryReadView(row: DirectoryReadRow | undefined): DirectoryReadView {
  const failedAt = isoTime(row?.directory_failed_at ?? null);
  return {
    readAt: isoTime(row?.directory_read_at ?? null),
    failure: row?.directory_failure && failedAt ? { reason: row.directory_failure, at: failedAt } : null,
  };
}

function isoTime(value: string | null): string | null {
  return sqlTime(value)?.toISOString() ?? null;
}

// By tenant, then product name; the SKU id keeps the order stable when two SKUs share a name.
function sortLicences(views: LicenceView[]): LicenceView[] {
  return views.sort((a, b) => compare(a.tenantId, b.tenantId) || byName(a.productName, b.productName) || compare(a.skuId, b.skuId));
}

// Names in the locale's order, as localeCompare would, with one collator (localeCompare per pair is many times
// slower over tens of thousands of licences).
const byName = new Intl.Collator().compare;

// Code-point order, as PostgreSQL orders the uuid keyset (locale collation could disagree).
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A page of tenants asked for: each asked id (lower-case) with nothing found yet, and the ids to look up — a tenant id
// is a GUID (a uuid column): anything else names no tenant, rather than failing the query.
function pageOfTenants<T>(tenantIds: readonly string[]): { byTenant: Map<string, T[]>; tenants: string[] } {
  return {
    byTenant: new Map(tenantIds.map((id) => [id.toLowerCase(), []])),
    tenants: [...new Set(tenantIds.filter(isGuid).map((id) => id.toLowerCase()))],
  };
}

function toDirectorySubscription(row: DirectorySubscriptionRow): DirectorySubscription {
  return {
    id: row.directory_subscription_id,
    commerceSubscriptionId: row.commerce_subscription_id,
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    status: row.status,
    totalLicenses: row.total_licenses,
    isTrial: row.is_trial,
    createdDateTime: isoTime(row.created_date_time),
    nextLifecycleDateTime: isoTime(row.next_lifecycle_date_time),
    ownerTenantId: row.owner_tenant_id,
    // Resolved against the Partner Center match when Graph did not say (older rows).
    soldByYou: row.sold_by_you as boolean,
  };
}
