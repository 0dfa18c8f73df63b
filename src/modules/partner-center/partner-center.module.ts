import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent';

// Provides PartnerCenterDirectory (adapters over libs/microsoft) to the modules that read customers.
@Module({ imports: [ConsentModule], providers: [], exports: [] })
export class PartnerCenterModule {}
