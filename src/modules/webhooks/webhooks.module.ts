import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit';
import { DeliverWebhookUseCase } from './application/deliver-webhook.use-case';
import { ManageWebhookEndpointsUseCase } from './application/manage-webhook-endpoints.use-case';
import { WebhookRepository } from './application/ports/webhook.repository';
import { WebhookSender } from './application/ports/webhook-sender.port';
import { RecordEventDeliveriesUseCase } from './application/record-event-deliveries.use-case';
import { RedeliverWebhookUseCase } from './application/redeliver-webhook.use-case';
import { SweepDeliveriesUseCase } from './application/sweep-deliveries.use-case';
import { WebhookDeliveryOptions } from './application/webhook-delivery-options';
import { WebhookQueries } from './application/webhook-queries';
import { HttpsWebhookSender } from './infrastructure/http/https-webhook-sender.adapter';
import { PostgresWebhookRepository } from './infrastructure/persistence/postgres-webhook.repository';
import { WebhookJobs } from './interface/jobs/webhook.jobs';
import { WebhooksPageController } from './interface/web/webhooks.page.controller';

@Module({
  imports: [AuditModule],
  controllers: [WebhooksPageController],
  providers: [
    { provide: WebhookRepository, useClass: PostgresWebhookRepository },
    { provide: WebhookSender, useClass: HttpsWebhookSender },
    {
      provide: WebhookDeliveryOptions,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => Object.assign(new WebhookDeliveryOptions(), { allowedHosts: config.webhookAllowedHosts }),
    },
    WebhookQueries,
    ManageWebhookEndpointsUseCase,
    RecordEventDeliveriesUseCase,
    DeliverWebhookUseCase,
    RedeliverWebhookUseCase,
    SweepDeliveriesUseCase,
    WebhookJobs,
  ],
})
export class WebhooksModule {}
