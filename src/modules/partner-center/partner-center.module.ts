import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/application/clock';
import { ConsentModule, DelegatedAdminQueries, MicrosoftAccessTokens } from '../consent';
import { CustomerAppProvisioning } from './contracts/customer-app-provisioning';
import { PartnerCenterDirectory } from './contracts/partner-center-directory';
import { PartnerProgramReader } from './contracts/partner-program';
import { SubscriptionChanges } from './contracts/subscription-changes';
import { CustomerAppProvisioningAdapter } from './infrastructure/microsoft/customer-app-provisioning.adapter';
import { MicrosoftRequestLimits } from './infrastructure/microsoft/microsoft-request-limits';
import { PartnerCenterDirectoryAdapter } from './infrastructure/microsoft/partner-center-directory.adapter';
import { PartnerProgramAdapter } from './infrastructure/microsoft/partner-program.adapter';
import { SubscriptionChangesAdapter } from './infrastructure/microsoft/subscription-changes.adapter';

// Provides PartnerCenterDirectory and PartnerProgramReader (adapters over libs/microsoft) to the modules that
// read customers and how the partner is billed, and SubscriptionChanges to the one that changes seat quantities.
@Module({
  imports: [ConsentModule],
  providers: [
    // One limiter for every adapter below: Microsoft counts all their requests against the same keys.
    {
      provide: MicrosoftRequestLimits,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new MicrosoftRequestLimits(config.microsoftConcurrencyPerLimit),
    },
    {
      provide: PartnerCenterDirectory,
      inject: [AppConfig, MicrosoftAccessTokens, Clock, DelegatedAdminQueries, MicrosoftRequestLimits],
      // The per-key ceiling is its own setting (MICROSOFT_CONCURRENCY_PER_LIMIT), not the tenants read at once: more
      // tenants in flight than Microsoft tolerates requests per key keep each key full while they read their other
      // resources and write, and the adaptive limiter queues the rest.
      useFactory: (
        config: AppConfig,
        tokens: MicrosoftAccessTokens,
        clock: Clock,
        delegatedAdmins: DelegatedAdminQueries,
        limits: MicrosoftRequestLimits,
      ) =>
        new PartnerCenterDirectoryAdapter(config, tokens, clock, {
          delegatedAdmins,
          maxConcurrentPerLimit: config.microsoftConcurrencyPerLimit,
          concurrency: limits.concurrency,
        }),
    },
    {
      provide: PartnerProgramReader,
      inject: [AppConfig, MicrosoftAccessTokens, MicrosoftRequestLimits],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens, limits: MicrosoftRequestLimits) =>
        new PartnerProgramAdapter(config, tokens, { concurrency: limits.concurrency }),
    },
    {
      provide: SubscriptionChanges,
      inject: [AppConfig, MicrosoftAccessTokens, MicrosoftRequestLimits],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens, limits: MicrosoftRequestLimits) =>
        new SubscriptionChangesAdapter(config, tokens, { concurrency: limits.concurrency }),
    },
    {
      provide: CustomerAppProvisioning,
      inject: [AppConfig, MicrosoftAccessTokens, MicrosoftRequestLimits],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens, limits: MicrosoftRequestLimits) =>
        new CustomerAppProvisioningAdapter(config, tokens, { concurrency: limits.concurrency }),
    },
  ],
  exports: [PartnerCenterDirectory, PartnerProgramReader, SubscriptionChanges, CustomerAppProvisioning],
})
export class PartnerCenterModule {}
