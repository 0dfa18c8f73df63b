import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/application/clock';
import { ConsentModule, MicrosoftAccessTokens } from '../consent';
import { PartnerCenterDirectory } from './contracts/partner-center-directory';
import { PartnerCenterDirectoryAdapter } from './infrastructure/microsoft/partner-center-directory.adapter';

// Provides PartnerCenterDirectory (adapters over libs/microsoft) to the modules that read customers.
@Module({
  imports: [ConsentModule],
  providers: [
    {
      provide: PartnerCenterDirectory,
      inject: [AppConfig, MicrosoftAccessTokens, Clock],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens, clock: Clock) => new PartnerCenterDirectoryAdapter(config, tokens, clock),
    },
  ],
  exports: [PartnerCenterDirectory],
})
export class PartnerCenterModule {}
