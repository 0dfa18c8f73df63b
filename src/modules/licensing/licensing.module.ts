import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { LicencePageQueries } from './application/licence-page-queries';
import { LicencesApiController } from './interface/http/licences-api.controller';
import { LicensedTenantRepository } from './application/ports/licensed-tenant.repository';
import { RecordTenantLicencesUseCase } from './application/record-tenant-licences.use-case';
import { LicenceHoldings } from './contracts/licence-holdings';
import { LicensingQueries } from './contracts/licensing-queries';
import { DirectorySubscriptionSchema } from './infrastructure/persistence/directory-subscription.schema';
import { MikroOrmLicensedTenantRepository } from './infrastructure/persistence/mikro-orm-licensed-tenant.repository';
import { PostgresLicenceHoldings } from './infrastructure/persistence/postgres-licence-holdings.queries';
import { PostgresLicensingQueries } from './infrastructure/persistence/postgres-licensing.queries';
import { TenantLicenceSchema } from './infrastructure/persistence/tenant-licence.schema';
import { TenantSubscriptionSchema } from './infrastructure/persistence/tenant-subscription.schema';
import { TenantLicencesReadHandler } from './interface/jobs/tenant-licences-read.handler';

// Licences per tenant × SKU and subscriptions (Partner Center's and the customer directory's), recorded from
// imports; the licences API; LicensingQueries and LicenceHoldings for other modules (the reconciliation is its own
// module).
@Module({
  imports: [MikroOrmModule.forFeature([TenantLicenceSchema, TenantSubscriptionSchema, DirectorySubscriptionSchema])],
  controllers: [LicencesApiController],
  providers: [
    { provide: LicensedTenantRepository, useClass: MikroOrmLicensedTenantRepository },
    { provide: LicensingQueries, useClass: PostgresLicensingQueries },
    // The same read model, paged for the partner API.
    { provide: LicencePageQueries, useExisting: LicensingQueries },
    { provide: LicenceHoldings, useClass: PostgresLicenceHoldings },
    RecordTenantLicencesUseCase,
    TenantLicencesReadHandler,
  ],
  exports: [LicensingQueries, LicenceHoldings],
})
export class LicensingModule {}
