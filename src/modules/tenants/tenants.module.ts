import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { LicensingModule } from '../licensing';
import { PartnerCenterModule } from '../partner-center';
import { ReconciliationModule } from '../reconciliation';
import { CompleteTenantReadUseCase } from './application/complete-tenant-read.use-case';
import { ListCustomersUseCase } from './application/list-customers.use-case';
import { ImportRepository } from './application/ports/import.repository';
import { ReadTenantUseCase } from './application/read-tenant.use-case';
import { ResumeImportsUseCase } from './application/resume-imports.use-case';
import { RetryTenantUseCase } from './application/retry-tenant.use-case';
import { StartImportUseCase } from './application/start-import.use-case';
import { RefreshCustomersUseCase } from './application/refresh-customers.use-case';
import { StartOrganizationImportUseCase } from './application/start-organization-import.use-case';
import { TenantQueries } from './application/tenant-queries';
import { CustomerTenants } from './contracts/customer-tenants';
import { PostgresCustomerTenants } from './infrastructure/persistence/postgres-customer-tenants';
import { PostgresImportRepository } from './infrastructure/persistence/postgres-import.repository';
import { PostgresTenantQueries } from './infrastructure/persistence/postgres-tenant.queries';
import { TenantHealth } from './contracts/tenant-health';
import { PostgresTenantHealth } from './infrastructure/persistence/postgres-tenant-health';
import { TenantsApiController } from './interface/http/tenants-api.controller';
import { ImportJobs } from './interface/jobs/import.jobs';
import { CustomersPageController } from './interface/web/customers.page.controller';
import { OverviewPageController } from './interface/web/overview.page.controller';

@Module({
  imports: [ConsentModule, PartnerCenterModule, LicensingModule, ReconciliationModule, AuditModule],
  controllers: [OverviewPageController, CustomersPageController, TenantsApiController],
  providers: [
    { provide: ImportRepository, useClass: PostgresImportRepository },
    { provide: TenantQueries, useClass: PostgresTenantQueries },
    { provide: CustomerTenants, useClass: PostgresCustomerTenants },
    { provide: TenantHealth, useClass: PostgresTenantHealth },
    StartImportUseCase,
    StartOrganizationImportUseCase,
    RefreshCustomersUseCase,
    ListCustomersUseCase,
    ReadTenantUseCase,
    CompleteTenantReadUseCase,
    ResumeImportsUseCase,
    RetryTenantUseCase,
    ImportJobs,
  ],
  exports: [CustomerTenants, TenantHealth],
})
export class TenantsModule {}
