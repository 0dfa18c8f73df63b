import { Module } from '@nestjs/common';

// Licences per tenant × SKU and subscriptions, recorded from imports; LicensingQueries for other modules.
@Module({ providers: [], exports: [] })
export class LicensingModule {}
