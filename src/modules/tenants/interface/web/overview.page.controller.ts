import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';
import { DelegatedAdminQueries } from '../../../consent';
import { discrepancyKindLabel, ReconciliationOverview } from '../../../reconciliation';
import { ImportRepository } from '../../application/ports/import.repository';
import { TenantQueries } from '../../application/tenant-queries';
import { alertsView, connectionView, lastImportView } from './overview.view-model';

// The landing page (`/`): what needs the partner's attention, each number linking to its list. It lives in the
// tenants module because most of it is the tenants' own (imports, failures, seats, access); the connections and the
// discrepancies come through the consent and reconciliation modules' read facades (their index.ts doors), which this
// module already depends on.
@ApiExcludeController()
@Controller()
export class OverviewPageController {
  constructor(
    private readonly tenants: TenantQueries,
    private readonly imports: ImportRepository,
    private readonly reconciliation: ReconciliationOverview,
    private readonly delegatedAdmins: DelegatedAdminQueries,
  ) {}

  @Get()
  @Render('pages/overview')
  async overview(@CurrentActor() actor: Actor) {
    const organizationId = actor.organizationId;
    const [admins, runs, summary, discrepancies] = await Promise.all([
      this.delegatedAdmins.list(organizationId),
      this.imports.latestRuns(organizationId),
      this.tenants.summary(organizationId),
      this.reconciliation.openDiscrepancies(organizationId),
    ]);
    const openDiscrepancies = discrepancies.reduce((sum, d) => sum + d.count, 0);
    return {
      pageTitle: 'Overview',
      tab: 'overview',
      organizationName: actor.organizationName,
      connected: admins.length > 0,
      connections: admins.map(connectionView),
      connectionsNeedingFix: admins.filter((a) => a.status !== 'active').length,
      lastImport: lastImportView(runs, summary.failed),
      tenants: summary.tenants,
      discrepancies: discrepancies.map((d) => ({
        ...d,
        label: discrepancyKindLabel(d.kind),
        href: `/licensing?kind=${encodeURIComponent(d.kind)}`,
      })),
      openDiscrepancies,
      alerts: alertsView(summary),
      unused: { seats: summary.unusedSeats, tenants: summary.withUnusedSeats, href: '/customers?unassigned=1' },
    };
  }
}
