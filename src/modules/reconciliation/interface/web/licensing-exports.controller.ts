import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { isGuid } from '../../../../shared/domain/guid';
import { csvLine, sendCsv } from '../../../../shared/interface/web/csv';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';
import {
  isMonth,
  LicensingTenantNotFoundError,
  MonthEndNotFoundError,
  MonthEndQueries,
  ReconciliationRunNotFoundError,
  RunQueries,
  SnapshotQueries,
  type ReconciliationTenantView,
  type SnapshotScope,
} from '../../application/reconciliation-queries';
import { isValidTimeZone, localDateTimeParts } from '../../domain';
import { csvFileName, monthLabel } from './licensing.view-model';

const LICENCE_HEADER = [
  'Tenant',
  'Tenant ID',
  'Product',
  'SKU part number',
  'SKU ID',
  'Purchased',
  'Assigned',
  'Available',
  'Suspended',
  'Warning',
  'Partner Center quantity',
  'Sold by you',
  'Free product',
  'Tenant read in this run',
  'Snapshot taken (UTC)',
  'Run ID',
];
const SUBSCRIPTION_HEADER = [
  'Tenant',
  'Tenant ID',
  'Subscription ID',
  'Offer',
  'SKU ID',
  'Partner Center quantity',
  'Licences in the tenant',
  'Term',
  'Billing cycle',
  'Status',
  'Auto-renew',
  'Trial',
  'Commitment ends (UTC)',
  'Cancellable until (UTC)',
  'Snapshot taken (UTC)',
  'Run ID',
];

// The Licensing tab's CSV exports: the licences and subscriptions of a run, or of a month-end snapshot (for
// billing), optionally of one tenant. Streamed in batches, however many tenants the organization has.
@ApiExcludeController()
@Controller('licensing')
export class LicensingExportsController {
  constructor(
    private readonly runQueries: RunQueries,
    private readonly monthEndQueries: MonthEndQueries,
    private readonly snapshotQueries: SnapshotQueries,
  ) {}

  @Get('runs/:runId/export.csv')
  async runLicences(
    @CurrentActor() actor: Actor,
    @Param('runId') runId: string,
    @Query('tenantId') tenantId: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { scope, name } = await this.runScope(actor.organizationId, runId, tenantId);
    await this.sendLicences(actor.organizationId, response, scope, csvFileName('licences', name.scope, name.tenant));
  }

  @Get('runs/:runId/subscriptions.csv')
  async runSubscriptions(
    @CurrentActor() actor: Actor,
    @Param('runId') runId: string,
    @Query('tenantId') tenantId: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { scope, name } = await this.runScope(actor.organizationId, runId, tenantId);
    await this.sendSubscriptions(actor.organizationId, response, scope, csvFileName('subscriptions', name.scope, name.tenant));
  }

  @Get('month-ends/:month/export.csv')
  async monthEndLicences(
    @CurrentActor() actor: Actor,
    @Param('month') month: string,
    @Query('tenantId') tenantId: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { scope, name } = await this.monthEndScope(actor.organizationId, month, tenantId);
    await this.sendLicences(actor.organizationId, response, scope, csvFileName('licences', name.scope, name.tenant));
  }

  @Get('month-ends/:month/subscriptions.csv')
  async monthEndSubscriptions(
    @CurrentActor() actor: Actor,
    @Param('month') month: string,
    @Query('tenantId') tenantId: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { scope, name } = await this.monthEndScope(actor.organizationId, month, tenantId);
    await this.sendSubscriptions(actor.organizationId, response, scope, csvFileName('subscriptions', name.scope, name.tenant));
  }

  private async runScope(organizationId: string, runId: string, tenantId: unknown) {
    const [run, schedule] = await Promise.all([this.runQueries.run(organizationId, runId), this.runQueries.schedule(organizationId)]);
    if (!run) throw new ReconciliationRunNotFoundError();
    const tenant = await this.optionalTenant(organizationId, tenantId);
    const day = localDateTimeParts(run.finishedAt, isValidTimeZone(schedule.timeZone) ? schedule.timeZone : 'UTC').date;
    return {
      scope: { runId: run.id, tenantId: tenant?.tenantId } satisfies SnapshotScope,
      name: { scope: `run-${day}`, tenant: tenant?.companyName },
    };
  }

  private async monthEndScope(organizationId: string, month: string, tenantId: unknown) {
    const monthEnd = await this.monthEndQueries.monthEnd(organizationId, month);
    if (!monthEnd) throw new MonthEndNotFoundError(isMonth(month) ? monthLabel(month) : month.slice(0, 20));
    const tenant = await this.optionalTenant(organizationId, tenantId);
    return {
      scope: { month: monthEnd.month, tenantId: tenant?.tenantId } satisfies SnapshotScope,
      name: { scope: `month-end-${monthEnd.month}`, tenant: tenant?.companyName },
    };
  }

  // ?tenantId= narrows an export to one tenant; a tenant no run of the organization read is refused.
  private async optionalTenant(organizationId: string, tenantId: unknown): Promise<ReconciliationTenantView | undefined> {
    if (tenantId === undefined || tenantId === '') return undefined;
    const tenant = isGuid(tenantId) ? await this.snapshotQueries.tenant(organizationId, tenantId) : null;
    if (!tenant) throw new LicensingTenantNotFoundError();
    return tenant;
  }

  private sendLicences(organizationId: string, response: Response, scope: SnapshotScope, filename: string): Promise<void> {
    return sendCsv(
      response,
      filename,
      LICENCE_HEADER,
      async function* (queries) {
        for await (const batch of queries.licenceRows(organizationId, scope)) {
          for (const l of batch) {
            yield csvLine([
              l.companyName,
              l.tenantId,
              l.productName,
              l.skuPartNumber,
              l.skuId,
              l.purchased,
              l.assigned,
              l.available,
              l.suspended,
              l.warning,
              l.partnerCenterQuantity,
              l.soldByYou === null ? 'unknown' : yesNo(l.soldByYou),
              yesNo(l.free),
              yesNo(l.tenantRead),
              l.snapshotAt.toISOString(),
              l.runId,
            ]);
          }
        }
      },
      this.snapshotQueries,
    );
  }

  private sendSubscriptions(organizationId: string, response: Response, scope: SnapshotScope, filename: string): Promise<void> {
    return sendCsv(
      response,
      filename,
      SUBSCRIPTION_HEADER,
      async function* (queries) {
        for await (const batch of queries.subscriptionRows(organizationId, scope)) {
          for (const s of batch) {
            yield csvLine([
              s.companyName,
              s.tenantId,
              s.subscriptionId,
              s.offerName,
              s.skuId,
              s.quantity,
              s.tenantUnits,
              s.termDuration,
              s.billingCycle,
              s.status,
              yesNo(s.autoRenewEnabled),
              yesNo(s.isTrial),
              s.commitmentEndDate?.toISOString(),
              s.cancellationAllowedUntilDate?.toISOString(),
              s.snapshotAt.toISOString(),
              s.runId,
            ]);
          }
        }
      },
      this.snapshotQueries,
    );
  }
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
