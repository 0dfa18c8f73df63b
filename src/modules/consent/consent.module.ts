import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CheckConsentHealthUseCase } from './application/check-consent-health.use-case';
import { DelegatedAdminQueriesService, PartnerTypeRecordsService } from './application/delegated-admin-queries.service';
import { GrantConsentUseCase } from './application/grant-consent.use-case';
import { MicrosoftTokenVault } from './application/microsoft-token-vault';
import { DelegatedAdminRepository, RefreshTokenStore } from './application/ports/delegated-admin.repository';
import { EntraTokenEndpoint } from './application/ports/entra-token-endpoint.port';
import { PartnerCenterAccessCheck } from './application/ports/partner-center-access.port';
import { RecordPartnerCenterAccessUseCase } from './application/record-partner-center-access.use-case';
import { RemoveDelegatedAdminUseCase } from './application/remove-delegated-admin.use-case';
import { DelegatedAdminQueries, PartnerTypeRecords } from './contracts/delegated-admin-queries';
import { MicrosoftAccessTokens } from './contracts/microsoft-access-tokens';
import { EntraTokenEndpointAdapter } from './infrastructure/microsoft/entra-token-endpoint.adapter';
import { PartnerCenterAccessAdapter } from './infrastructure/microsoft/partner-center-access.adapter';
import { DelegatedAdminSchema } from './infrastructure/persistence/delegated-admin.schema';
import {
  MikroOrmDelegatedAdminRepository,
  PostgresRefreshTokenStore,
} from './infrastructure/persistence/mikro-orm-delegated-admin.repository';
import { DelegatedAdminsApiController } from './interface/http/delegated-admins-api.controller';
import { ConsentHealthJob } from './interface/jobs/consent-health.job';
import { ImportOutcomeHandler } from './interface/jobs/import-outcome.handler';
import { DelegatedAdminsPageController } from './interface/web/delegated-admins.page.controller';
import { PartnerCenterConsentStrategy } from './interface/web/partner-center-consent.strategy';
import { RefreshTokenAges } from './contracts/refresh-token-ages';
import { PostgresRefreshTokenAges } from './infrastructure/persistence/postgres-refresh-token-ages';

@Module({
  imports: [MikroOrmModule.forFeature([DelegatedAdminSchema]), AuditModule],
  controllers: [DelegatedAdminsPageController, DelegatedAdminsApiController],
  providers: [
    { provide: DelegatedAdminRepository, useClass: MikroOrmDelegatedAdminRepository },
    { provide: RefreshTokenStore, useClass: PostgresRefreshTokenStore },
    { provide: EntraTokenEndpoint, useClass: EntraTokenEndpointAdapter },
    { provide: PartnerCenterAccessCheck, useClass: PartnerCenterAccessAdapter },
    MicrosoftTokenVault,
    { provide: MicrosoftAccessTokens, useExisting: MicrosoftTokenVault },
    { provide: DelegatedAdminQueries, useClass: DelegatedAdminQueriesService },
    { provide: PartnerTypeRecords, useClass: PartnerTypeRecordsService },
    { provide: RefreshTokenAges, useClass: PostgresRefreshTokenAges },
    GrantConsentUseCase,
    RemoveDelegatedAdminUseCase,
    CheckConsentHealthUseCase,
    PartnerCenterConsentStrategy,
    ConsentHealthJob,
    RecordPartnerCenterAccessUseCase,
    ImportOutcomeHandler,
  ],
  exports: [MicrosoftAccessTokens, DelegatedAdminQueries, PartnerTypeRecords, RefreshTokenAges],
})
export class ConsentModule {}
