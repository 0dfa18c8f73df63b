import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { AuditModule } from '../audit';
import { BillingModule } from '../billing';
import { ConnectPsaUseCase } from './application/connect-psa.use-case';
import { PsaGateway } from './application/ports/psa-gateway.port';
import { PsaSyncRepository } from './application/ports/psa-sync.repository';
import { PsaSyncOptions } from './application/psa-sync-options';
import { PsaMappingUseCase } from './application/psa-mapping.use-case';
import { RequestSyncUseCase } from './application/request-sync.use-case';
import { SyncPsaUseCase } from './application/sync-psa.use-case';
import { AutotaskPsaGateway } from './infrastructure/autotask/autotask-psa.gateway';
import { ConnectWisePsaGateway } from './infrastructure/connectwise/connectwise-psa.gateway';
import { PostgresPsaSyncRepository } from './infrastructure/persistence/postgres-psa-sync.repository';
import { RoutingPsaGateway } from './infrastructure/psa-gateway.router';
import { PsaSyncApiController } from './interface/http/psa-sync-api.controller';
import { PsaSyncHandlers } from './interface/jobs/psa-sync.handlers';
import { PsaSyncPageController } from './interface/web/psa-sync.page.controller';
import { PsaSyncAlertConditions } from './interface/alerts/psa-sync-alert-conditions';

// PSA sync: connect ConnectWise PSA or Autotask, map customers and products, and keep the PSA's agreements/contracts
// billing the approved invoices (daily after the reconciliation and on Sync now), with dry runs and a history.
@Module({
  imports: [AlertsModule, AuditModule, BillingModule],
  controllers: [PsaSyncApiController, PsaSyncPageController],
  providers: [
    { provide: PsaSyncRepository, useClass: PostgresPsaSyncRepository },
    { provide: PsaGateway, useClass: RoutingPsaGateway },
    ConnectWisePsaGateway,
    AutotaskPsaGateway,
    ConnectPsaUseCase,
    PsaMappingUseCase,
    SyncPsaUseCase,
    RequestSyncUseCase,
    PsaSyncHandlers,
    PsaSyncOptions,
    PsaSyncAlertConditions,
  ],
  exports: [],
})
export class PsaSyncModule {}
