import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { isGuid } from '../../../../shared/domain/guid';
import { expectImport, flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { ExclusionNotFoundError, ManageExclusionsUseCase } from '../../application/manage-exclusions.use-case';
import {
  ChangeQueries,
  DiscrepancyQueries,
  ExclusionQueries,
  LicensingTenantNotFoundError,
  MonthEndQueries,
  RunQueries,
  SnapshotQueries,
  type ReconciliationTenantView,
} from '../../application/reconciliation-queries';
import { RequestReconciliationUseCase } from '../../application/request-reconciliation.use-case';
import { UpdateReconciliationScheduleUseCase } from '../../application/update-reconciliation-schedule.use-case';
import { EXCLUSION_RULES, NoConnectedAccountError } from '../../domain';
import {
  changeView,
  discrepancyGroups,
  discrepancyView,
  exclusionView,
  isDiscrepancyKind,
  KIND_LABELS,
  localTime,
  monthEndView,
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

// The Licensing tab: the latest reconciliation, its discrepancies and changes, each tenant's history, the
// exclusions and the daily schedule (its CSV exports have their own controller, LicensingExportsController).
@ApiExcludeController()
@Controller('licensing')
export class LicensingPageController {
  constructor(
    private readonly runQueries: RunQueries,
    private readonly discrepancyQueries: DiscrepancyQueries,
    private readonly changeQueries: ChangeQueries,
    private readonly monthEndQueries: MonthEndQueries,
    private readonly snapshotQueries: SnapshotQueries,
    private readonly exclusionQueries: ExclusionQueries,
    private readonly clock: Clock,
    private readonly requestReconciliation: RequestReconciliationUseCase,
    private readonly manageExclusions: ManageExclusionsUseCase,
    private readonly updateSchedule: UpdateReconciliationScheduleUseCase,
  ) {}

  @Get()
  @Render('pages/licensing')
  async overview(@CurrentActor() actor: Actor, @Query('kind') kind?: unknown, @Query('tenant') tenant?: unknown) {
    const organizationId = actor.organizationId;
    const query = {
      kind: isDiscrepancyKind(kind) ? kind : undefined,
      tenant: typeof tenant === 'string' ? tenant.trim().slice(0, 200) : '',
    };
    const [schedule, latest, runs, discrepancies, changes, monthEnds] = await Promise.all([
      this.runQueries.schedule(organizationId),
      this.runQueries.latestRuns(organizationId),
      this.runQueries.runs(organizationId, RUN_HISTORY),
      this.discrepancyQueries.latestDiscrepancies(organizationId, {
        kind: query.kind,
        tenant: query.tenant || undefined,
        limit: DISCREPANCIES_SHOWN,
      }),
      this.changeQueries.recentChanges(organizationId, RECENT_CHANGES),
      this.monthEndQueries.monthEnds(organizationId),
    ]);
    const zone = schedule.timeZone;
    const link = (kindFilter?: string) => {
      const params = new URLSearchParams({
        ...(kindFilter ? { kind: kindFilter } : {}),
        ...(query.tenant ? { tenant: query.tenant } : {}),
      }).toString();
      return `/licensing${params ? `?${params}` : ''}#discrepancies`;
    };
    const openCount = discrepancies.countsByKind.reduce((sum, c) => sum + c.count, 0);
    return {
      pageTitle: 'Licensing',
      tab: 'licensing',
      schedule: { ...schedule, timeZones: timeZoneOptions(schedule.timeZone) },
      hasRuns: latest.length > 0,
      // One run per connected Partner Center account; their names live in the consent module.
      latest: latest.map((run, i) => ({
        ...runView(run, zone),
        accountLabel: latest.length > 1 ? `Connection ${i + 1} of ${latest.length}` : null,
      })),
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
          ...discrepancies.countsByKind.map((c) => ({
            kind: c.kind,
            label: KIND_LABELS[c.kind],
            count: c.count,
            href: link(c.kind),
            active: c.kind === query.kind,
          })),
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
      flash(request, 'error', `${error.message} ${error.fix}`, {
        href: '/customers/delegated-admins',
        label: 'Go to Customers → Delegated Admin',
      });
      return redirectAfterSave(request, response, '/licensing');
    }
    expectImport(request, this.clock.now());
    flash(
      request,
      'success',
      'The reconciliation has started: Sync 365 reads every customer tenant again (the banner at the top shows the progress). The results appear here when it finishes.',
    );
    await redirectAfterSave(request, response, '/licensing');
  }

  @RequiresRole('billing')
  @Post('schedule')
  @FormPage('schedule', 'pages/licensing', (page: LicensingPageController, actor) => page.overview(actor))
  async schedule(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const changed = await this.updateSchedule.execute({ actor, timeZone: text(body.timeZone), runAt: text(body.runAt) });
    const schedule = await this.runQueries.schedule(actor.organizationId);
    flash(
      request,
      changed ? 'success' : 'info',
      changed
        ? `The reconciliation now runs every day at ${schedule.runAt} (${schedule.timeZone}).`
        : `Nothing changed: the reconciliation already runs every day at ${schedule.runAt} (${schedule.timeZone}).`,
    );
    await redirectAfterSave(request, response, '/licensing#schedule');
  }

  @Get('tenants/:tenantId')
  @Render('pages/licensing-tenant')
  async tenant(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string) {
    const organizationId = actor.organizationId;
    const tenant = await this.tenantOf(organizationId, tenantId);
    const [schedule, discrepancies, changes, history, monthEnds] = await Promise.all([
      this.runQueries.schedule(organizationId),
      this.discrepancyQueries.latestDiscrepancies(organizationId, {
        tenantId: tenant.tenantId,
        includeSilenced: true,
        limit: DISCREPANCIES_SHOWN,
      }),
      this.changeQueries.tenantChanges(organizationId, tenant.tenantId, TENANT_CHANGES),
      this.snapshotQueries.tenantHistory(organizationId, tenant.tenantId, CHART_RUNS),
      this.monthEndQueries.monthEnds(organizationId),
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
      latestSkus:
        latest && !tenant.licencesUnreadable
          ? [...latest.skus]
              .sort((a, b) => a.productName.localeCompare(b.productName))
              .map((s) => ({ ...s, available: s.purchased - s.assigned, over: s.assigned > s.purchased }))
          : [],
      csv: runCsvLinks(tenant.lastRunId, tenant.tenantId),
      monthEnds: monthEnds.map((monthEnd) => monthEndView(monthEnd, zone, tenant.tenantId)),
      exclusionsLink: `/licensing/exclusions?tenantId=${tenant.tenantId}#add`,
    };
  }

  @Get('exclusions')
  @Render('pages/licensing-exclusions')
  async exclusions(@CurrentActor() actor: Actor, @Query('tenantId') tenantId?: unknown, @Query('skuId') skuId?: unknown) {
    const organizationId = actor.organizationId;
    const [schedule, exclusions, choices] = await Promise.all([
      this.runQueries.schedule(organizationId),
      this.exclusionQueries.exclusions(organizationId),
      this.exclusionQueries.exclusionChoices(organizationId),
    ]);
    const selectedTenant = typeof tenantId === 'string' ? tenantId.toLowerCase() : '';
    const selectedSku = typeof skuId === 'string' ? skuId.toLowerCase() : '';
    return {
      pageTitle: 'Licensing exclusions',
      tab: 'licensing',
      exclusions: exclusions.map((exclusion) => exclusionView(exclusion, schedule.timeZone)),
      canAdd: choices.tenants.length > 0 || choices.products.length > 0,
      tenants: choices.tenants.map((t) => ({ ...t, selected: t.tenantId === selectedTenant })),
      products: choices.products.map((p) => ({ ...p, selected: p.skuId === selectedSku })),
      rules: EXCLUSION_RULES.map((rule) => ({
        value: rule,
        label: rule === 'ignore' ? 'Ignore: silence every discrepancy in scope' : 'Keep spare seats: allow this many unused seats',
      })),
    };
  }

  @RequiresRole('billing')
  @Post('exclusions')
  @FormPage('exclusion', 'pages/licensing-exclusions', (page: LicensingPageController, actor) => page.exclusions(actor))
  async addExclusion(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
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
    const [schedule, exclusions] = await Promise.all([
      this.runQueries.schedule(actor.organizationId),
      this.exclusionQueries.exclusions(actor.organizationId),
    ]);
    const exclusion = exclusions.find((e) => e.id === id.toLowerCase());
    if (!exclusion) throw new ExclusionNotFoundError();
    return { pageTitle: 'Remove exclusion', tab: 'licensing', exclusion: exclusionView(exclusion, schedule.timeZone) };
  }

  @RequiresRole('billing')
  @Post('exclusions/:id/remove')
  async removeExclusion(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.manageExclusions.execute({ action: 'remove', actor, exclusionId: id });
    flash(request, 'success', 'Exclusion removed. From the next reconciliation run, what it silenced is reported again.');
    await redirectAfterSave(request, response, '/licensing/exclusions');
  }

  private async tenantOf(organizationId: string, tenantId: unknown): Promise<ReconciliationTenantView> {
    const tenant = isGuid(tenantId) ? await this.snapshotQueries.tenant(organizationId, tenantId) : null;
    if (!tenant) throw new LicensingTenantNotFoundError();
    return tenant;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
