import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { isGuid } from '../../../../shared/domain/guid';
import { csvLine, sendCsv } from '../../../../shared/interface/web/csv';
import { expectImport, flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { ExclusionNotFoundError, ManageExclusionsUseCase } from '../../application/manage-exclusions.use-case';
import {
  isMonth,
  LicensingTenantNotFoundError,
  MonthEndNotFoundError,
  ReconciliationQueries,
  ReconciliationRunNotFoundError,
  type ReconciliationTenantView,
  type SnapshotScope,
} from '../../application/reconciliation-queries';
import { RequestReconciliationUseCase } from '../../application/request-reconciliation.use-case';
import { UpdateReconciliationScheduleUseCase } from '../../application/update-reconciliation-schedule.use-case';
import { EXCLUSION_RULES, localDateTimeParts, isValidTimeZone, NoConnectedAccountError } from '../../domain/reconciliation';
import {
  changeView,
  csvFileName,
  discrepancyGroups,
  discrepancyView,
  exclusionView,
  isDiscrepancyKind,
  KIND_LABELS,
  localTime,
  monthEndView,
  monthLabel,
  runCsvLinks,
  runView,
  tenantCharts,
  timeZoneOptions,
} from './licensing.view-model';

const RECENT_CHANGES = 30;
const TENANT_CHANGES = 200;
const RUN_HISTORY = 20;
// Runs in a tenant's chart: about three months of daily runs.
const CHART_RUNS = 90;
const DISCREPANCIES_SHOWN = 200;

const LICENCE_HEADER = ['Tenant', 'Tenant ID', 'Product', 'SKU part number', 'SKU ID', 'Purchased', 'Assigned', 'Available', 'Suspended', 'Warning', 'Partner Center quantity', 'Sold by you', 'Free product', 'Tenant read in this run', 'Snapshot taken (UTC)', 'Run ID'];
const SUBSCRIPTION_HEADER = ['Tenant', 'Tenant ID', 'Subscription ID', 'Offer', 'SKU ID', 'Partner Center quantity', 'Licences in the tenant', 'Term', 'Billing cycle', 'Status', 'Auto-renew', 'Trial', 'Commitment ends (UTC)', 'Cancellable until (UTC)', 'Snapshot taken (UTC)', 'Run ID'];

// The Licensing tab: the latest reconciliation, its discrepancies and changes, each tenant's history, the
// exclusions, the daily schedule and the CSV exports (of a run, or of a month-end snapshot for billing).
@ApiExcludeController()
@Controller('licensing')
export class LicensingPageController {
  constructor(
    private readonly queries: ReconciliationQueries,
    private readonly clock: Clock,
    private readonly requestReconciliation: RequestReconciliationUseCase,
    private readonly manageExclusions: ManageExclusionsUseCase,
    private readonly updateSchedule: UpdateReconciliationScheduleUseCase,
  ) {}

  @Get()
  @Render('pages/licensing')
  async overview(@CurrentActor() actor: Actor, @Query('kind') kind?: unknown, @Query('tenant') tenant?: unknown) {
    const organizationId = actor.organizationId;
    const query = { kind: isDiscrepancyKind(kind) ? kind : undefined, tenant: typeof tenant === 'string' ? tenant.trim().slice(0, 200) : '' };
    const [schedule, latest, runs, discrepancies, changes, monthEnds] = await Promise.all([
      this.queries.schedule(organizationId),
      this.queries.latestRuns(organizationId),
      this.queries.runs(organizationId, RUN_HISTORY),
      this.queries.latestDiscrepancies(organizationId, { kind: query.kind, tenant: query.tenant || undefined, limit: DISCREPANCIES_SHOWN }),
      this.queries.recentChanges(organizationId, RECENT_CHANGES),
      this.queries.monthEnds(organizationId),
    ]);
    const zone = schedule.timeZone;
    const link = (kindFilter?: string) => {
      const params = new URLSearchParams({ ...(kindFilter ? { kind: kindFilter } : {}), ...(query.tenant ? { tenant: query.tenant } : {}) }).toString();
      return `/licensing${params ? `?${params}` : ''}#discrepancies`;
    };
    const openCount = discrepancies.countsByKind.reduce((sum, c) => sum + c.count, 0);
    return {
      pageTitle: 'Licensing',
      tab: 'licensing',
      schedule: { ...schedule, timeZones: timeZoneOptions(schedule.timeZone) },
      hasRuns: latest.length > 0,
      // One run per connected Partner Center account; their names live in the consent module.
      latest: latest.map((run, i) => ({ ...runView(run, zone), accountLabel: latest.length > 1 ? `Connection ${i + 1} of ${latest.length}` : null })),
      runs: runs.map((run) => runView(run, zone)),
      query,
      filtered: Boolean(query.kind || query.tenant),
      discrepancies: {
        groups: discrepancyGroups(discrepancies, zone),
        total: discrepancies.total,
        shown: discrepancies.items.length,
        limited: discrepancies.total > discrepancies.items.length,
        silenced: discrepancies.silenced,
        openCount,
        kinds: [
          { label: 'All kinds', count: openCount, href: link(), active: !query.kind },
          ...discrepancies.countsByKind.map((c) => ({ kind: c.kind, label: KIND_LABELS[c.kind], count: c.count, href: link(c.kind), active: c.kind === query.kind })),
        ],
        kindOptions: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label, selected: value === query.kind })),
      },
      changes: changes.map((change) => changeView(change, zone)),
      monthEnds: monthEnds.map((monthEnd) => monthEndView(monthEnd, zone)),
    };
  }

  // "Run the reconciliation now": the same reconciliation as the daily one; the import banner shows its progress.
  @RequiresRole('billing')
  @Post('run')
  async runNow(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      await this.requestReconciliation.execute(actor.organizationId, actor);
    } catch (error) {
      if (!(error instanceof NoConnectedAccountError)) throw error;
      flash(request, 'error', `${error.message} ${error.fix}`, { href: '/customers/delegated-admins', label: 'Go to Customers → Delegated Admin' });
      return redirectAfterSave(request, response, '/licensing');
    }
    expectImport(request, this.clock.now());
    flash(request, 'success', 'The reconciliation has started: Sync 365 reads every customer tenant again (the banner at the top shows the progress). The results appear here when it finishes.');
    await redirectAfterSave(request, response, '/licensing');
  }

  @RequiresRole('billing')
  @Post('schedule')
  @FormPage('schedule', 'pages/licensing', (page: LicensingPageController, actor) => page.overview(actor))
  async schedule(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const changed = await this.updateSchedule.execute({ actor, timeZone: text(body.timeZone), runAt: text(body.runAt) });
    const schedule = await this.queries.schedule(actor.organizationId);
    flash(request, changed ? 'success' : 'info', changed ? `The reconciliation now runs every day at ${schedule.runAt} (${schedule.timeZone}).` : `Nothing changed: the reconciliation already runs every day at ${schedule.runAt} (${schedule.timeZone}).`);
    await redirectAfterSave(request, response, '/licensing#schedule');
  }

  @Get('tenants/:tenantId')
  @Render('pages/licensing-tenant')
  async tenant(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string) {
    const organizationId = actor.organizationId;
    const tenant = await this.tenantOf(organizationId, tenantId);
    const [schedule, discrepancies, changes, history, monthEnds] = await Promise.all([
      this.queries.schedule(organizationId),
      this.queries.latestDiscrepancies(organizationId, { tenantId: tenant.tenantId, includeSilenced: true, limit: DISCREPANCIES_SHOWN }),
      this.queries.tenantChanges(organizationId, tenant.tenantId, TENANT_CHANGES),
      this.queries.tenantHistory(organizationId, tenant.tenantId, CHART_RUNS),
      this.queries.monthEnds(organizationId),
    ]);
    const zone = schedule.timeZone;
    const latest = history[history.length - 1];
    const items = discrepancies.items.map((d) => discrepancyView(d, zone));
    return {
      pageTitle: `${tenant.companyName} — Licensing`,
      tab: 'licensing',
      tenant: { ...tenant, lastRun: localTime(tenant.lastRunAt, zone) },
      open: items.filter((d) => !d.silencedBy),
      silenced: items.filter((d) => d.silencedBy),
      changes: changes.map((change) => changeView(change, zone)),
      charts: history.length ? tenantCharts(history, zone) : null,
      runs: history.length,
      // Not the figures of an older run while the latest could not list the licences: the page says why instead.
      latestSkus: latest && !tenant.licencesUnreadable ? [...latest.skus].sort((a, b) => a.productName.localeCompare(b.productName)).map((s) => ({ ...s, available: s.purchased - s.assigned, over: s.assigned > s.purchased })) : [],
      csv: runCsvLinks(tenant.lastRunId, tenant.tenantId),
      monthEnds: monthEnds.map((monthEnd) => monthEndView(monthEnd, zone, tenant.tenantId)),
      exclusionsLink: `/licensing/exclusions?tenantId=${tenant.tenantId}#add`,
    };
  }

  @Get('exclusions')
  @Render('pages/licensing-exclusions')
  async exclusions(@CurrentActor() actor: Actor, @Query('tenantId') tenantId?: unknown, @Query('skuId') skuId?: unknown) {
    const organizationId = actor.organizationId;
    const [schedule, exclusions, choices] = await Promise.all([this.queries.schedule(organizationId), this.queries.exclusions(organizationId), this.queries.exclusionChoices(organizationId)]);
    const selectedTenant = typeof tenantId === 'string' ? tenantId.toLowerCase() : '';
    const selectedSku = typeof skuId === 'string' ? skuId.toLowerCase() : '';
    return {
      pageTitle: 'Licensing exclusions',
      tab: 'licensing',
      exclusions: exclusions.map((exclusion) => exclusionView(exclusion, schedule.timeZone)),
      canAdd: choices.tenants.length > 0 || choices.products.length > 0,
      tenants: choices.tenants.map((t) => ({ ...t, selected: t.tenantId === selectedTenant })),
      products: choices.products.map((p) => ({ ...p, selected: p.skuId === selectedSku })),
      rules: EXCLUSION_RULES.map((rule) => ({ value: rule, label: rule === 'ignore' ? 'Ignore: silence every discrepancy in scope' : 'Keep spare seats: allow this many unused seats' })),
    };
  }

  @RequiresRole('billing')
  @Post('exclusions')
  @FormPage('exclusion', 'pages/licensing-exclusions', (page: LicensingPageController, actor) => page.exclusions(actor))
  async addExclusion(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const spare = text(body.spare).trim();
    await this.manageExclusions.execute({
      action: 'add',
      actor,
      tenantId: text(body.tenantId),
      skuId: text(body.skuId),
      rule: text(body.rule),
      // Not a number: newExclusion says what it needs.
      spare: spare === '' ? null : Number(spare),
      reason: text(body.reason),
    });
    flash(request, 'success', 'Exclusion added. It applies from the next reconciliation run.');
    await redirectAfterSave(request, response, '/licensing/exclusions');
  }

  @RequiresRole('billing')
  @Get('exclusions/:id/remove')
  @Render('pages/licensing-exclusion-remove')
  async confirmRemoval(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const [schedule, exclusions] = await Promise.all([this.queries.schedule(actor.organizationId), this.queries.exclusions(actor.organizationId)]);
    const exclusion = exclusions.find((e) => e.id === id.toLowerCase());
    if (!exclusion) throw new ExclusionNotFoundError();
    return { pageTitle: 'Remove exclusion', tab: 'licensing', exclusion: exclusionView(exclusion, schedule.timeZone) };
  }

  @RequiresRole('billing')
  @Post('exclusions/:id/remove')
  async removeExclusion(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.manageExclusions.execute({ action: 'remove', actor, exclusionId: id });
    flash(request, 'success', 'Exclusion removed. From the next reconciliation run, what it silenced is reported again.');
    await redirectAfterSave(request, response, '/licensing/exclusions');
  }

  @Get('runs/:runId/export.csv')
  async runLicences(@CurrentActor() actor: Actor, @Param('runId') runId: string, @Query('tenantId') tenantId: unknown, @Res() response: Response): Promise<void> {
    const { scope, name } = await this.runScope(actor.organizationId, runId, tenantId);
    await this.sendLicences(actor.organizationId, response, scope, csvFileName('licences', name.scope, name.tenant));
  }

  @Get('runs/:runId/subscriptions.csv')
  async runSubscriptions(@CurrentActor() actor: Actor, @Param('runId') runId: string, @Query('tenantId') tenantId: unknown, @Res() response: Response): Promise<void> {
    const { scope, name } = await this.runScope(actor.organizationId, runId, tenantId);
    await this.sendSubscriptions(actor.organizationId, response, scope, csvFileName('subscriptions', name.scope, name.tenant));
  }

  @Get('month-ends/:month/export.csv')
  async monthEndLicences(@CurrentActor() actor: Actor, @Param('month') month: string, @Query('tenantId') tenantId: unknown, @Res() response: Response): Promise<void> {
    const { scope, name } = await this.monthEndScope(actor.organizationId, month, tenantId);
    await this.sendLicences(actor.organizationId, response, scope, csvFileName('licences', name.scope, name.tenant));
  }

  @Get('month-ends/:month/subscriptions.csv')
  async monthEndSubscriptions(@CurrentActor() actor: Actor, @Param('month') month: string, @Query('tenantId') tenantId: unknown, @Res() response: Response): Promise<void> {
    const { scope, name } = await this.monthEndScope(actor.organizationId, month, tenantId);
    await this.sendSubscriptions(actor.organizationId, response, scope, csvFileName('subscriptions', name.scope, name.tenant));
  }

  private async runScope(organizationId: string, runId: string, tenantId: unknown) {
    const [run, schedule] = await Promise.all([this.queries.run(organizationId, runId), this.queries.schedule(organizationId)]);
    if (!run) throw new ReconciliationRunNotFoundError();
    const tenant = await this.optionalTenant(organizationId, tenantId);
    const day = localDateTimeParts(run.finishedAt, isValidTimeZone(schedule.timeZone) ? schedule.timeZone : 'UTC').date;
    return { scope: { runId: run.id, tenantId: tenant?.tenantId } satisfies SnapshotScope, name: { scope: `run-${day}`, tenant: tenant?.companyName } };
  }

  private async monthEndScope(organizationId: string, month: string, tenantId: unknown) {
    const monthEnd = await this.queries.monthEnd(organizationId, month);
    if (!monthEnd) throw new MonthEndNotFoundError(isMonth(month) ? monthLabel(month) : month.slice(0, 20));
    const tenant = await this.optionalTenant(organizationId, tenantId);
    return { scope: { month: monthEnd.month, tenantId: tenant?.tenantId } satisfies SnapshotScope, name: { scope: `month-end-${monthEnd.month}`, tenant: tenant?.companyName } };
  }

  // ?tenantId= narrows an export to one tenant; a tenant no run of the organization read is refused.
  private async optionalTenant(organizationId: string, tenantId: unknown): Promise<ReconciliationTenantView | undefined> {
    if (tenantId === undefined || tenantId === '') return undefined;
    return this.tenantOf(organizationId, tenantId);
  }

  private async tenantOf(organizationId: string, tenantId: unknown): Promise<ReconciliationTenantView> {
    const tenant = isGuid(tenantId) ? await this.queries.tenant(organizationId, tenantId) : null;
    if (!tenant) throw new LicensingTenantNotFoundError();
    return tenant;
  }

  private sendLicences(organizationId: string, response: Response, scope: SnapshotScope, filename: string): Promise<void> {
    return sendCsv(response, filename, LICENCE_HEADER, async function* (queries) {
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
    }, this.queries);
  }

  private sendSubscriptions(organizationId: string, response: Response, scope: SnapshotScope, filename: string): Promise<void> {
    return sendCsv(response, filename, SUBSCRIPTION_HEADER, async function* (queries) {
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
    }, this.queries);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
