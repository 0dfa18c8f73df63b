import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { DirectCspModule } from '../direct-csp';
import { LicensingModule } from '../licensing';
import { PartnerCenterModule } from '../partner-center';
import { TenantsModule } from '../tenants';
import { ChangeApplier } from './application/change-applier';
import { DecideChangeUseCase } from './application/decide-change.use-case';
import { LoadPortalViewerUseCase } from './application/load-portal-viewer.use-case';
import { ManagePortalUsersUseCase } from './application/manage-portal-users.use-case';
import { ChangeRequestRepository } from './application/ports/change-request.repository';
import { CustomerDomains } from './application/ports/customer-domains.port';
import { PortalUserRepository } from './application/ports/portal-user.repository';
import { SignedInDirectory } from './application/ports/signed-in-directory.port';
import { PortalQueries } from './application/portal-queries';
import { PortalTenants } from './application/portal-tenants';
import { RequestChangeUseCase } from './application/request-change.use-case';
import { SettleChangesUseCase } from './application/settle-changes.use-case';
import { SignInPortalUserUseCase } from './application/sign-in-portal-user.use-case';
import { TenantPictureReader } from './application/tenant-picture';
import { GraphCustomerDomainsAdapter } from './infrastructure/microsoft/graph-customer-domains.adapter';
import { GraphSignedInDirectoryAdapter } from './infrastructure/microsoft/graph-signed-in-directory.adapter';
import { PostgresChangeRequestRepository } from './infrastructure/persistence/postgres-change-requests.repository';
import { PostgresPortalUserRepository } from './infrastructure/persistence/postgres-portal-users.repository';
import { PortalJobs } from './interface/jobs/portal.jobs';
import { PartnerPortalPageController } from './interface/web/partner-portal.page.controller';
import { PortalAuthPageController } from './interface/web/portal-auth.page.controller';
import { PortalPageController } from './interface/web/portal.page.controller';
import { PortalSessionGuard } from './interface/web/portal-session';
import { PortalSignInStrategy } from './interface/web/portal-sign-in.strategy';

@Module({
  imports: [AuditModule, ConsentModule, DirectCspModule, LicensingModule, PartnerCenterModule, TenantsModule],
  controllers: [PortalAuthPageController, PortalPageController, PartnerPortalPageController],
  providers: [
    { provide: PortalUserRepository, useClass: PostgresPortalUserRepository },
    { provide: ChangeRequestRepository, useClass: PostgresChangeRequestRepository },
    { provide: SignedInDirectory, useClass: GraphSignedInDirectoryAdapter },
    { provide: CustomerDomains, useClass: GraphCustomerDomainsAdapter },
    PortalTenants,
    TenantPictureReader,
    PortalQueries,
    SignInPortalUserUseCase,
    LoadPortalViewerUseCase,
    ManagePortalUsersUseCase,
    RequestChangeUseCase,
    ChangeApplier,
    DecideChangeUseCase,
    SettleChangesUseCase,
    PortalSignInStrategy,
    PortalSessionGuard,
    PortalJobs,
  ],
})
export class PortalModule {}
