import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AccountsModule } from '../accounts';
import { AuditModule } from '../audit';
import { ConsentModule } from '../consent';
import { LicensingModule } from '../licensing';
import { ReconciliationModule } from '../reconciliation';
import { TenantsModule } from '../tenants';
import { AlertCentreQueries } from './application/alert-centre.queries';
import { AlertConditionSources } from './application/alert-condition-sources';
import { AlertEmailOptions } from './application/alert-email-options';
import { AlertFactsReader } from './application/alert-facts.reader';
import { EvaluateAlertsUseCase } from './application/evaluate-alerts.use-case';
import { ManageAlertsUseCase } from './application/manage-alerts.use-case';
import { PlanAlertEmailsUseCase } from './application/plan-alert-emails.use-case';
import { AlertRepository } from './application/ports/alert.repository';
import { Mailer } from './application/ports/mailer.port';
import { SendAlertEmailUseCase } from './application/send-alert-email.use-case';
import { SmtpMailer, SmtpSettings } from './infrastructure/email/smtp-mailer.adapter';
import { PostgresAlertRepository } from './infrastructure/persistence/postgres-alert.repository';
import { AlertJobs } from './interface/jobs/alert.jobs';
import { AlertsPageController } from './interface/web/alerts.page.controller';

@Module({
  imports: [AccountsModule, AuditModule, ConsentModule, LicensingModule, ReconciliationModule, TenantsModule],
  controllers: [AlertsPageController],
  providers: [
    { provide: AlertRepository, useClass: PostgresAlertRepository },
    {
      provide: SmtpSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => Object.assign(new SmtpSettings(), { url: config.smtpUrl ?? null }),
    },
    {
      provide: AlertEmailOptions,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        Object.assign(new AlertEmailOptions(), {
          appBaseUrl: config.appBaseUrl,
          // Its own key derived from the session secret: an unsubscribe signature never doubles as a session one.
          signingKey: Buffer.from(`alert-unsubscribe-key:${config.sessionSecret}`),
          from:
            config.smtpFrom ??
            `Sync 365 <alerts@${new URL(config.appBaseUrl).hostname.replace(/^localhost$|^127\.0\.0\.1$/, 'sync365.localhost')}>`,
        }),
    },
    { provide: Mailer, useClass: SmtpMailer },
    AlertConditionSources,
    AlertFactsReader,
    EvaluateAlertsUseCase,
    PlanAlertEmailsUseCase,
    SendAlertEmailUseCase,
    ManageAlertsUseCase,
    AlertCentreQueries,
    AlertJobs,
  ],
  exports: [AlertConditionSources],
})
export class AlertsModule {}
