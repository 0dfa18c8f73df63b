import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { LicensingModule } from '../licensing';
import { FinalizeReconciliationUseCase } from './application/finalize-reconciliation.use-case';
import { ManageExclusionsUseCase } from './application/manage-exclusions.use-case';
import { ExclusionsRepository } from './application/ports/exclusions.repository';
import { ReconciliationRepository } from './application/ports/reconciliation.repository';
import { ReconciliationOverviewQueries } from './application/reconciliation-overview.queries';
import {
  ChangeQueries,
  DiscrepancyQueries,
  ExclusionQueries,
  MonthEndQueries,
  RunQueries,
  SnapshotQueries,
} from './application/reconciliation-queries';
import { RequestReconciliationUseCase } from './application/request-reconciliation.use-case';
import { ScheduleReconciliationsUseCase } from './application/schedule-reconciliations.use-case';
import { UpdateReconciliationScheduleUseCase } from './application/update-reconciliation-schedule.use-case';
import { OrganizationTimeZone } from './contracts/organization-time-zone';
import { ReconciliationOverview } from './contracts/reconciliation-overview';
import { PostgresExclusionsRepository } from './infrastructure/persistence/postgres-exclusions.repository';
import { PostgresOrganizationTimeZone } from './infrastructure/persistence/postgres-organization-time-zone';
import { PostgresChangeQueries } from './infrastructure/persistence/postgres-change.queries';
import { PostgresDiscrepancyQueries } from './infrastructure/persistence/postgres-discrepancy.queries';
import { PostgresExclusionQueries } from './infrastructure/persistence/postgres-exclusion.queries';
import { PostgresMonthEndQueries } from './infrastructure/persistence/postgres-month-end.queries';
import { PostgresRunQueries } from './infrastructure/persistence/postgres-run.queries';
import { PostgresSnapshotQueries } from './infrastructure/persistence/postgres-snapshot.queries';
import { PostgresReconciliationRepository } from './infrastructure/persistence/postgres-reconciliation.repository';
import { ReconciliationApiController } from './interface/http/reconciliation-api.controller';
import { ReconciliationJobs } from './interface/jobs/reconciliation.jobs';
import { LicensingExportsController } from './interface/web/licensing-exports.controller';
import { LicensingPageController } from './interface/web/licensing.page.controller';

// The daily reconciliation of the licence records (snapshots, changes, discrepancies, exclusions, month ends), the
// Licensing tab and the reconciliation API. Its tables are plain SQL (no entities); the time zone the Licensing tab
// sets is every dashboard page's.
@Module({
  imports: [AuditModule, ConsentModule, LicensingModule],
  controllers: [LicensingPageController, LicensingExportsController, ReconciliationApiController],
  providers: [
    { provide: ReconciliationRepository, useClass: PostgresReconciliationRepository },
    // The read side, one read model each.
    { provide: RunQueries, useClass: PostgresRunQueries },
    { provide: DiscrepancyQueries, useClass: PostgresDiscrepancyQueries },
    { provide: ChangeQueries, useClass: PostgresChangeQueries },
    { provide: MonthEndQueries, useClass: PostgresMonthEndQueries },
    { provide: SnapshotQueries, useClass: PostgresSnapshotQueries },
    { provide: ExclusionQueries, useClass: PostgresExclusionQueries },
    { provide: ExclusionsRepository, useClass: PostgresExclusionsRepository },
    { provide: ReconciliationOverview, useClass: ReconciliationOverviewQueries },
    { provide: OrganizationTimeZone, useClass: PostgresOrganizationTimeZone },
    FinalizeReconciliationUseCase,
    ScheduleReconciliationsUseCase,
    RequestReconciliationUseCase,
    ManageExclusionsUseCase,
    UpdateReconciliationScheduleUseCase,
    ReconciliationJobs,
  ],
  exports: [ReconciliationOverview, OrganizationTimeZone],
})
export class ReconciliationModule {}
