import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/application/clock';
import { ConsentModule, MicrosoftAccessTokens } from '../consent';
import { PartnerCenterDirectory } from './contracts/partner-center-directory';
import { PartnerProgramReader } from './contracts/partner-program';
import { PartnerCenterDirectoryAdapter } from './infrastructure/microsoft/partner-center-directory.adapter';
import { PartnerProgramAdapter } from './infrastructure/microsoft/partner-program.adapter';

// Provides PartnerCenterDirectory and PartnerProgramReader (adapters over libs/microsoft) to the modules that
// read customers and how the partner is billed.
@Module({
  imports: [ConsentModule],
  providers: [
    {
      provide: PartnerCenterDirectory,
      inject: [AppConfig, MicrosoftAccessTokens, Clock],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens, clock: Clock) => new PartnerCenterDirectoryAdapter(config, tokens, clock),
    },
    {
      provide: PartnerProgramReader,
      inject: [AppConfig, MicrosoftAccessTokens],
      useFactory: (config: AppConfig, tokens: MicrosoftAccessTokens) => new PartnerProgramAdapter(config, tokens),
    },
  ],
  exports: [PartnerCenterDirectory, PartnerProgramReader],
})
export class PartnerCenterModule {}
