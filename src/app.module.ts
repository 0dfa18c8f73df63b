import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from './config/app-config';
import { HealthController } from './health.controller';
import { AccountsModule } from './modules/accounts';
import { AlertsModule } from './modules/alerts';
import { AuditModule } from './modules/audit';
import { ConsentModule } from './modules/consent';
import { DirectCspModule } from './modules/direct-csp';
import { LicensingModule } from './modules/licensing';
import { PartnerCenterModule } from './modules/partner-center';
import { PortalModule } from './modules/portal';
import { OrganizationTimeZone, ReconciliationModule } from './modules/reconciliation';
import { TenantsModule } from './modules/tenants';
import { WebhooksModule } from './modules/webhooks';
import { BillingModule } from './modules/billing';
import { DemoBillingModule } from './config/demo-billing.seeder';
import { PsaSyncModule } from './modules/psa-sync';
import { Clock, SystemClock } from './shared/application/clock';
import { ormOptions } from './shared/infrastructure/database/mikro-orm.config';
import { loggerOptions } from './shared/infrastructure/logging/logger-options';
import { ErrorFilter } from './shared/interface/http/error.filter';
import { CsrfMiddleware } from './shared/interface/web/csrf';
import { RequestBodyMiddleware } from './shared/interface/web/request-body';
import { LayoutInterceptor, PageTimeZone } from './shared/interface/web/layout';
import { FormErrorsInterceptor } from './shared/interface/web/form-errors';
import { SharedModule } from './shared/shared.module';

export interface AppOptions {
  clock?: Clock;
  // Where JSON logs go (stdout by default); tests capture them to prove no secret is logged.
  logDestination?: DestinationStream;
  // Seed demo data (billing profiles) for the demo organizations: `npm start` in demo mode; tests that ask for it.
  demoData?: boolean;
}

@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SharedModule.register(config, options.clock ?? new SystemClock()),
        LoggerModule.forRoot(loggerOptions(config.logLevel, options.logDestination)),
        MikroOrmModule.forRoot({ ...ormOptions(config.databaseUrl), autoLoadEntities: true, registerRequestContext: true }),
        TerminusModule.forRoot({ logger: false }),
        // Once, here: every import of forRoot would register each @Cron again.
        ScheduleModule.forRoot(),
        AccountsModule,
        AuditModule,
        PartnerCenterModule,
        LicensingModule,
        ReconciliationModule,
        TenantsModule,
        ConsentModule,
        DirectCspModule,
        WebhooksModule,
        PortalModule,
        BillingModule,
        PsaSyncModule,
        // Demo data only: the billing seeder prices the demo organization's products (src/config/demo-billing.seeder.ts).
        ...(config.demo && options.demoData ? [DemoBillingModule] : []),
        AlertsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        // Every dashboard date in the organization's time zone, which the reconciliation module keeps.
        { provide: PageTimeZone, useExisting: OrganizationTimeZone },
        { provide: APP_INTERCEPTOR, useClass: LayoutInterceptor },
        { provide: APP_INTERCEPTOR, useClass: FormErrorsInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Bodies first: the CSRF check reads a form's _csrf field.
    consumer.apply(RequestBodyMiddleware, CsrfMiddleware).forRoutes('*path');
  }
}
