import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { LicencePageQueries } from './application/licence-page-queries';
import { FinalizeReconciliationUseCase } from './application/finalize-reconciliation.use-case';
import { ManageExclusionsUseCase } from './application/manage-exclusions.use-case';
import { ExclusionsRepository } from './application/ports/exclusions.repository';
import { ReconciliationRepository } from './application/ports/reconciliation.repository';
import { ReconciliationQueries } from './application/reconciliation-queries';
import { RequestReconciliationUseCase } from './application/request-reconciliation.use-case';
import { ScheduleReconciliationsUseCase } from './application/schedule-reconciliations.use-case';
import { UpdateReconciliationScheduleUseCase } from './application/update-reconciliation-schedule.use-case';
import { PostgresExclusionsRepository } from './infrastructure/persistence/postgres-exclusions.repository';
import { PostgresReconciliationQueries } from './infrastructure/persistence/postgres-reconciliation.queries';
import { PostgresReconciliationRepository } from './infrastructure/persistence/postgres-reconciliation.repository';
import { LicencesApiController } from './interface/http/licences-api.controller';
import { ReconciliationApiController } from './interface/http/reconciliation-api.controller';
import { ReconciliationJobs } from './interface/jobs/reconciliation.jobs';
import { LicensingPageController } from './interface/web/licensing.page.controller';
import { LicensedTenantRepository } from './application/ports/licensed-tenant.repository';
import { RecordTenantLicencesUseCase } from './application/record-tenant-licences.use-case';
import { LicensingQueries, OrganizationTimeZone } from './contracts/licensing-queries';
import { DirectorySubscriptionSchema } from './infrastructure/persistence/directory-subscription.schema';
import { MikroOrmLicensedTenantRepository } from './infrastructure/persistence/mikro-orm-licensed-tenant.repository';
import { PostgresLicensingQueries, PostgresOrganizationTimeZone } from './infrastructure/persistence/postgres-licensing.queries';
import { TenantLicenceSchema } from './infrastructure/persistence/tenant-licence.schema';
import { TenantSubscriptionSchema } from './infrastructure/persistence/tenant-subscription.schema';
import { TenantLicencesReadHandler } from './interface/jobs/tenant-licences-read.handler';

// Licences per tenant × SKU and subscriptions (Partner Center's and the customer directory's), recorded from
// imports; the daily reconciliation (snapshots, changes, discrepancies, exclusions, month-end) and the Licensing
// tab; LicensingQueries for other modules.
@Module({
  imports: [MikroOrmModule.forFeature([TenantLicenceSchema, TenantSubscriptionSchema, DirectorySubscriptionSchema]), AuditModule, ConsentModule],
  controllers: [LicensingPageController, LicencesApiController, ReconciliationApiController],
  providers: [
    { provide: LicensedTenantRepository, useClass: MikroOrmLicensedTenantRepository },
    { provide: LicensingQueries, useClass: PostgresLicensingQueries },
    // The same read model, paged for the partner API.
    { provide: LicencePageQueries, useExisting: LicensingQueries },
    { provide: OrganizationTimeZone, useClass: PostgresOrganizationTimeZone },
    RecordTenantLicencesUseCase,
    TenantLicencesReadHandler,
    { provide: ReconciliationRepository, useClass: PostgresReconciliationRepository },
    { provide: ReconciliationQueries, useClass: PostgresReconciliationQueries },
    { provide: ExclusionsRepository, useClass: PostgresExclusionsRepository },
    FinalizeReconciliationUseCase,
    ScheduleReconciliationsUseCase,
    RequestReconciliationUseCase,
    ManageExclusionsUseCase,
    UpdateReconciliationScheduleUseCase,
    ReconciliationJobs,
  ],
  exports: [LicensingQueries, OrganizationTimeZone],
})
export class LicensingModule {}
