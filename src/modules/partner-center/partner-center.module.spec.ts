import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '../../config/app-config';
import { Clock, SystemClock } from '../../shared/application/clock';
import { ConsentModule, DelegatedAdminQueries, MicrosoftAccessTokens, type DelegatedAdminSummary } from '../consent';
import { CustomerAppProvisioning, PartnerCenterDirectory, PartnerCenterModule, SubscriptionChanges } from '.';
import { MicrosoftRequestLimits } from './infrastructure/microsoft/microsoft-request-limits';
import { PartnerCenterDirectoryAdapter } from './infrastructure/microsoft/partner-center-directory.adapter';
import { SubscriptionChangesAdapter } from './infrastructure/microsoft/subscription-changes.adapter';

class NoTokens extends MicrosoftAccessTokens {
  forPartnerCenter(): Promise<string> {
    throw new Error('not used');
  }
  forPartnerGraph(): Promise<string> {
    throw new Error('not used');
  }
  forGraph(): Promise<string> {
    throw new Error('not used');
  }
}

// Stands in for the kernel (SharedModule) and the consent module, which need a database.
@Global()
@Module({
  providers: [
    {
      provide: AppConfig,
      useValue: {
        microsoft: { partnerCenterBaseUrl: 'https://api.partnercenter.microsoft.com', graphBaseUrl: 'https://graph.microsoft.com' },
      },
    },
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [AppConfig, Clock],
})
class KernelStandIn {}

class NoDelegatedAdmins extends DelegatedAdminQueries {
  list(): Promise<DelegatedAdminSummary[]> {
    return Promise.resolve([]);
  }
  find(): Promise<DelegatedAdminSummary | null> {
    return Promise.resolve(null);
  }
}

@Module({
  providers: [
    { provide: MicrosoftAccessTokens, useClass: NoTokens },
    { provide: DelegatedAdminQueries, useClass: NoDelegatedAdmins },
  ],
  exports: [MicrosoftAccessTokens, DelegatedAdminQueries],
})
class ConsentStandIn {}

describe('PartnerCenterModule', () => {
  it('provides PartnerCenterDirectory and SubscriptionChanges as the Microsoft adapters, with the consent module’s tokens', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [KernelStandIn, PartnerCenterModule] })
      .overrideModule(ConsentModule)
      .useModule(ConsentStandIn)
      .compile();

    expect(moduleRef.get(PartnerCenterDirectory)).toBeInstanceOf(PartnerCenterDirectoryAdapter);
    expect(moduleRef.get(SubscriptionChanges)).toBeInstanceOf(SubscriptionChangesAdapter);
    await moduleRef.close();
  });
});

// A Partner Center token of partner tenant p-1 (only its claims are read, to group requests per limit key).
const PARTNER_TOKEN = `e30.${Buffer.from(JSON.stringify({ tid: 'p-1' })).toString('base64url')}.sig`;

class PartnerTokens extends NoTokens {
  override forPartnerCenter(): Promise<string> {
    return Promise.resolve(PARTNER_TOKEN);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: AppConfig,
      useValue: {
        // Nothing listens there: a request that gets its slot fails at once, which is all this test needs.
        microsoft: { partnerCenterBaseUrl: 'http://127.0.0.1:9', graphBaseUrl: 'http://127.0.0.1:9', clientId: 'app' },
        microsoftConcurrencyPerLimit: 1,
      },
    },
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [AppConfig, Clock],
})
class LimitedKernelStandIn {}

@Module({
  providers: [
    { provide: MicrosoftAccessTokens, useClass: PartnerTokens },
    { provide: DelegatedAdminQueries, useClass: NoDelegatedAdmins },
  ],
  exports: [MicrosoftAccessTokens, DelegatedAdminQueries],
})
class PartnerConsentStandIn {}

describe('PartnerCenterModule request limits', () => {
  it('counts every adapter’s Partner Center requests against the one per-partner window the import uses', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LimitedKernelStandIn, PartnerCenterModule] })
      .overrideModule(ConsentModule)
      .useModule(PartnerConsentStandIn)
      .compile();
    const limiter = moduleRef.get(MicrosoftRequestLimits).concurrency!;
    // The import holds the partner's only slot: app provisioning waits for it instead of going to Microsoft.
    const release = await limiter.acquire('partner-center|p-1');
    const provisioning = moduleRef
      .get(CustomerAppProvisioning)
      .provision('org', 'admin', 'c-1')
      .catch(() => undefined);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(limiter.stats('partner-center|p-1')).toMatchObject({ inFlight: 1, waiting: 1 });

    release('ok');
    await provisioning;
    expect(limiter.stats('partner-center|p-1')).toMatchObject({ inFlight: 0, waiting: 0 });
    await moduleRef.close();
  });
});
