import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { LicenceHoldings, type HeldSku, type HeldSubscription, type TenantHoldings } from '../../contracts/licence-holdings';
import { purchasedSeats } from '../../domain/licence-totals';
import { isFreeSku, productName } from '../../domain/sku-catalog';
import { matchSubscriptions } from '../../domain/subscription-matching';
import { microsoftCatalogueNames } from './microsoft-catalogue-names';
import { groupBy } from '../../../../shared/domain/group-by';

// Tenants per statement (an organization can have thousands).
const BATCH = 2000;

type Row = Record<string, unknown>;

// Read inside the reconciliation's transaction: the injected EntityManager is the transaction's.
@Injectable()
export class PostgresLicenceHoldings extends LicenceHoldings {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async of(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, TenantHoldings>> {
    const holdings = new Map<string, TenantHoldings>();
    for (let start = 0; start < tenantIds.length; start += BATCH) {
      const ids = tenantIds.slice(start, start + BATCH);
      // One after the other: inside a transaction they share one connection.
      const licences = await this.byTenant(
        `select tenant_id, sku_id, sku_part_number, partner_center_name, active_units, warning_units, suspended_units, consumed_units, locked_out_units
         from tenant_licences where organization_id = ? and tenant_id in (?)`,
        organizationId,
        ids,
      );
      const subscriptions = await this.byTenant(
        `select tenant_id, subscription_id, offer_name, catalogue_name, quantity, billing_cycle, term_duration, status, auto_renew_enabled, is_trial,
           commitment_end_date, cancellation_allowed_until_date, refundable_quantity, refundable_until, scheduled_quantity
         from tenant_subscriptions where organization_id = ? and tenant_id in (?)`,
        organizationId,
        ids,
      );
      const directory = await this.byTenant(
        `select tenant_id, commerce_subscription_id, sku_id, total_licenses, sold_by_you from tenant_directory_subscriptions where organization_id = ? and tenant_id in (?)`,
        organizationId,
        ids,
      );
      const reads = await this.byTenant(
        `select tenant_id, directory_read_at, licences_failure from tenant_licence_reads where organization_id = ? and tenant_id in (?)`,
        organizationId,
        ids,
      );
      const names = await microsoftCatalogueNames(
        this.em,
        organizationId,
        [...licences.values()].flatMap((rows) => rows.map((row) => String(row.sku_id))),
      );
      for (const tenantId of ids) {
        // Licences Partner Center would not list at the latest read: unknown, so none held (the stored rows are the
        // last known, not current), and the reason instead.
        const licencesUnreadable = (reads.get(tenantId)?.[0]?.licences_failure as string | null | undefined) ?? null;
        const skuRows = licencesUnreadable ? [] : (licences.get(tenantId) ?? []);
        const subscriptionRows = subscriptions.get(tenantId) ?? [];
        const directoryRead = Boolean(reads.get(tenantId)?.[0]?.directory_read_at);
        const matching = matchSubscriptions({
          partnerCenter: subscriptionRows.map((row) => ({ id: String(row.subscription_id), row })),
          directory: directoryRead
            ? (directory.get(tenantId) ?? []).map((row) => ({
                commerceSubscriptionId: (row.commerce_subscription_id as string | null) ?? null,
                skuId: String(row.sku_id),
                totalLicenses: Number(row.total_licenses),
                soldByYou: (row.sold_by_you as boolean | null) ?? null,
              }))
            : null,
          skuIds: skuRows.map((row) => String(row.sku_id)),
        });
        const skus = skuRows.map((row, index): HeldSku => {
          const purchased = purchasedSeats({
            activeUnits: Number(row.active_units),
            warningUnits: Number(row.warning_units),
            consumedUnits: Number(row.consumed_units),
          });
          const sku = {
            skuId: String(row.sku_id),
            skuPartNumber: String(row.sku_part_number),
            partnerCenterName: (row.partner_center_name as string | null) ?? null,
            microsoftCatalogueName: names.get(String(row.sku_id).trim().toLowerCase()),
          };
          return {
            skuId: sku.skuId,
            skuPartNumber: sku.skuPartNumber,
            productName: productName(sku),
            purchased,
            assigned: Number(row.consumed_units),
            available: purchased - Number(row.consumed_units),
            suspended: Number(row.suspended_units),
            warning: Number(row.warning_units),
            lockedOut: Number(row.locked_out_units ?? 0),
            soldByYou: matching.skus[index].soldByYou,
            free: isFreeSku(sku),
          };
        });
        const held = matching.partnerCenter.map(({ subscription, skuId, tenantUnits }): HeldSubscription => ({
          subscriptionId: subscription.id,
          skuId,
          // A legacy subscription without an offer name is named by Microsoft's catalogue (FACTS.md §7a.8).
          offerName: String(subscription.row.offer_name || subscription.row.catalogue_name || ''),
          quantity: Number(subscription.row.quantity),
          tenantUnits,
          billingCycle: String(subscription.row.billing_cycle),
          termDuration: (subscription.row.term_duration as string | null) ?? null,
          status: String(subscription.row.status),
          autoRenewEnabled: Boolean(subscription.row.auto_renew_enabled),
          isTrial: Boolean(subscription.row.is_trial),
          commitmentEndDate: sqlTime((subscription.row.commitment_end_date as string | null) ?? null),
          cancellationAllowedUntilDate: sqlTime((subscription.row.cancellation_allowed_until_date as string | null) ?? null),
          refundableQuantity:
            subscription.row.refundable_quantity === null || subscription.row.refundable_quantity === undefined
              ? null
              : Number(subscription.row.refundable_quantity),
          refundableUntil: sqlTime((subscription.row.refundable_until as string | null | undefined) ?? null),
          scheduledQuantity:
            subscription.row.scheduled_quantity === null || subscription.row.scheduled_quantity === undefined
              ? null
              : Number(subscription.row.scheduled_quantity),
        }));
        holdings.set(tenantId, { licencesUnreadable, skus, subscriptions: held });
      }
    }
    return holdings;
  }

  async organizationsWithLicences(): Promise<string[]> {
    const rows = await rawSql<{ organization_id: string }>(this.em, 'select distinct organization_id from tenant_licence_reads');
    return rows.map((row) => row.organization_id);
  }

  private async byTenant(sql: string, organizationId: string, tenantIds: readonly string[]): Promise<Map<string, Row[]>> {
    return groupBy(await rawSql(this.em, sql, [organizationId, tenantIds]), (row) => String(row.tenant_id));
  }
}
