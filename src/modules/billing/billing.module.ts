import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { AuditModule } from '../audit';
import { LicensingModule } from '../licensing';
import { ReconciliationModule } from '../reconciliation';
import { TenantsModule } from '../tenants';
import { BillingForPsaQueries } from './application/billing-for-psa.queries';
import { CompanyMappingUseCase } from './application/company-mapping.use-case';
import { DecideApprovalUseCase } from './application/decide-approval.use-case';
import { FreezeSnapshotUseCase } from './application/freeze-snapshot.use-case';
import { InvoicePreviewQueries } from './application/invoice-preview.queries';
import { ManageBillingUseCase } from './application/manage-billing.use-case';
import { BillableLicences } from './application/ports/billable-licences.port';
import { BillingRepository } from './application/ports/billing.repository';
import { RecomputeBillingUseCase } from './application/recompute-billing.use-case';
import { LicensingBillableLicences } from './infrastructure/licensing-billable-licences.adapter';
import { PostgresBillingRepository } from './infrastructure/persistence/postgres-billing.repository';
import { BillingAlertConditions } from './interface/alerts/billing-alert-conditions';
import { BillingApiController } from './interface/http/billing-api.controller';
import { BillingHandlers } from './interface/jobs/billing.handlers';
import { BillingPageController } from './interface/web/billing.page.controller';

// Billing: profiles (what each Microsoft product is sold as, at what price), company mapping, the invoice preview,
// approvals and frozen month-end snapshots. Reads licences through BillableLicences only.
@Module({
  imports: [AlertsModule, AuditModule, LicensingModule, ReconciliationModule, TenantsModule],
  controllers: [BillingApiController, BillingPageController],
  providers: [
    { provide: BillableLicences, useClass: LicensingBillableLicences },
    { provide: BillingRepository, useClass: PostgresBillingRepository },
    InvoicePreviewQueries,
    BillingAlertConditions,
    RecomputeBillingUseCase,
    ManageBillingUseCase,
    CompanyMappingUseCase,
    DecideApprovalUseCase,
    FreezeSnapshotUseCase,
    BillingHandlers,
    BillingForPsaQueries,
  ],
  exports: [
    ManageBillingUseCase,
    CompanyMappingUseCase,
    DecideApprovalUseCase,
    FreezeSnapshotUseCase,
    InvoicePreviewQueries,
    RecomputeBillingUseCase,
    BillingForPsaQueries,
  ],
})
export class BillingModule {}
