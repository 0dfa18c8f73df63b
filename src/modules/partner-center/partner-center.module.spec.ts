import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '../../config/app-config';
import { Clock, SystemClock } from '../../shared/application/clock';
import { ConsentModule, DelegatedAdminQueries, MicrosoftAccessTokens, type DelegatedAdminSummary } from '../consent';
import { PartnerCenterDirectory, PartnerCenterModule, SubscriptionChanges } from '.';
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
