import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { LicensingModule } from '../licensing';
import { PartnerCenterModule } from '../partner-center';
import { TenantsModule } from '../tenants';
import { DetectPartnerTypeUseCase } from './application/detect-partner-type.use-case';
import { DirectCspRepository } from './application/ports/direct-csp.repository';
import { SelfServicePortals } from './contracts/self-service-portals';
import { SelfServicePortalsService } from './application/self-service-portals.service';
import { SetSelfServicePortalUseCase } from './application/set-self-service-portal.use-case';
import { TestDirectCspUseCase } from './application/test-direct-csp.use-case';
import { PostgresDirectCspRepository } from './infrastructure/persistence/postgres-direct-csp.repository';
import { PartnerTypeJobs } from './interface/jobs/partner-type.jobs';
import { DirectCspPageController } from './interface/web/direct-csp.page.controller';

@Module({
  imports: [AuditModule, ConsentModule, PartnerCenterModule, TenantsModule, LicensingModule],
  controllers: [DirectCspPageController],
  providers: [
    { provide: DirectCspRepository, useClass: PostgresDirectCspRepository },
    DetectPartnerTypeUseCase,
    TestDirectCspUseCase,
    SetSelfServicePortalUseCase,
    PartnerTypeJobs,
    { provide: SelfServicePortals, useClass: SelfServicePortalsService },
  ],
  exports: [SelfServicePortals],
})
export class DirectCspModule {}
