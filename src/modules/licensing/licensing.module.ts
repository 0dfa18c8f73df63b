import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { LicensedTenantRepository } from './application/ports/licensed-tenant.repository';
import { RecordTenantLicencesUseCase } from './application/record-tenant-licences.use-case';
import { LicensingQueries } from './contracts/licensing-queries';
import { MikroOrmLicensedTenantRepository } from './infrastructure/persistence/mikro-orm-licensed-tenant.repository';
import { PostgresLicensingQueries } from './infrastructure/persistence/postgres-licensing.queries';
import { TenantLicenceSchema } from './infrastructure/persistence/tenant-licence.schema';
import { TenantSubscriptionSchema } from './infrastructure/persistence/tenant-subscription.schema';
import { TenantLicencesReadHandler } from './interface/jobs/tenant-licences-read.handler';

// Licences per tenant × SKU and subscriptions, recorded from imports; LicensingQueries for other modules.
@Module({
  imports: [MikroOrmModule.forFeature([TenantLicenceSchema, TenantSubscriptionSchema])],
  providers: [
    { provide: LicensedTenantRepository, useClass: MikroOrmLicensedTenantRepository },
    { provide: LicensingQueries, useClass: PostgresLicensingQueries },
    RecordTenantLicencesUseCase,
    TenantLicencesReadHandler,
  ],
  exports: [LicensingQueries],
})
export class LicensingModule {}
