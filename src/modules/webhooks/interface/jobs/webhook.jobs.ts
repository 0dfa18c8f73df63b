import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { CONSENT_RECONSENT_NEEDED, type ReconsentNeededPayload } from '../../../consent/events';
import { PORTAL_CHANGE_COMPLETED, PORTAL_CHANGE_DECIDED, PORTAL_CHANGE_REQUESTED, type PortalChangePayload } from '../../../portal/events';
import {
  DISCREPANCY_CLOSED,
  DISCREPANCY_OPENED,
  LICENCE_CHANGED,
  QUANTITY_CHANGED,
  type DiscrepancyPayload,
  type LicensingChangePayload,
} from '../../../reconciliation/events';
import { IMPORT_FINISHED, type ImportFinishedPayload } from '../../../tenants/events';
import {
  BILLING_APPROVAL_NEEDED,
  BILLING_PREVIEW_CHANGED,
  type BillingApprovalNeededPayload,
  type BillingPreviewChangedPayload,
} from '../../../billing/events';
import { ALERT_OPENED, ALERT_RESOLVED, type AlertPayload } from '../../../alerts/events';
import { PSA_SYNC_COMPLETED, PSA_SYNC_FAILED, type PsaSyncFinishedPayload } from '../../../psa-sync/events';
import { DeliverWebhookUseCase } from '../../application/deliver-webhook.use-case';
import { DELIVER_WEBHOOK_QUEUE, SWEEP_DELIVERIES_QUEUE, type DeliverWebhookJob } from '../../application/delivery-queue';
import { RecordEventDeliveriesUseCase } from '../../application/record-event-deliveries.use-case';
import { SweepDeliveriesUseCase } from '../../application/sweep-deliveries.use-case';
import { importFinishedData } from '../../application/webhook-payloads';
import type { WebhookEventType } from '../../domain/webhook-events';

// Events that come one per tenant, change or discrepancy (a first reconciliation of 10,000 customers opens ~20,000
// discrepancies): taken in batches, one fetch, completion and commit for many (most organizations have no endpoint,
// so each event is one read).
const PER_ITEM_EVENTS = { batchSize: 25 };

// The integration events partners can receive, each mapped to its public webhook type. A handler only records
// deliveries (in the event's transaction); attempts run as jobs, never inside it.
@Injectable()
export class WebhookJobs {
  constructor(
    private readonly record: RecordEventDeliveriesUseCase,
    private readonly deliver: DeliverWebhookUseCase,
    private readonly sweep: SweepDeliveriesUseCase,
    private readonly jobs: JobQueue,
  ) {}

  @OnIntegrationEvent(QUANTITY_CHANGED, PER_ITEM_EVENTS)
  onQuantityChanged(event: IntegrationEvent<LicensingChangePayload>): Promise<void> {
    return this.fanOut(event, 'licensing.quantity-changed', event.payload);
  }

  // Every other change a run finds (tenants and products added or removed, subscriptions added, renewed, suspended,
  // reactivated or cancelled): the same payload as a seat change.
  @OnIntegrationEvent(LICENCE_CHANGED, PER_ITEM_EVENTS)
  onLicenceChanged(event: IntegrationEvent<LicensingChangePayload>): Promise<void> {
    return this.fanOut(event, 'licensing.licence-changed', event.payload);
  }

  @OnIntegrationEvent(DISCREPANCY_OPENED, PER_ITEM_EVENTS)
  onDiscrepancyOpened(event: IntegrationEvent<DiscrepancyPayload>): Promise<void> {
    return this.fanOut(event, 'licensing.discrepancy-opened', event.payload);
  }

  @OnIntegrationEvent(DISCREPANCY_CLOSED, PER_ITEM_EVENTS)
  onDiscrepancyClosed(event: IntegrationEvent<DiscrepancyPayload>): Promise<void> {
    return this.fanOut(event, 'licensing.discrepancy-closed', event.payload);
  }

  @OnIntegrationEvent(IMPORT_FINISHED)
  onImportFinished(event: IntegrationEvent<ImportFinishedPayload>): Promise<void> {
    return this.fanOut(event, 'tenants.import-finished', importFinishedData(event.payload));
  }

  @OnIntegrationEvent(CONSENT_RECONSENT_NEEDED)
  onReconsentNeeded(event: IntegrationEvent<ReconsentNeededPayload>): Promise<void> {
    return this.fanOut(event, 'consent.reconsent-needed', event.payload);
  }

  // The licence portal's requests and their outcomes, so the partner's own systems (a PSA ticket, a chat) can follow.
  @OnIntegrationEvent(PORTAL_CHANGE_REQUESTED)
  onPortalChangeRequested(event: IntegrationEvent<PortalChangePayload>): Promise<void> {
    return this.fanOut(event, 'portal.change-requested', event.payload);
  }

  @OnIntegrationEvent(PORTAL_CHANGE_DECIDED)
  onPortalChangeDecided(event: IntegrationEvent<PortalChangePayload>): Promise<void> {
    return this.fanOut(event, 'portal.change-decided', event.payload);
  }

  @OnIntegrationEvent(PORTAL_CHANGE_COMPLETED)
  onPortalChangeCompleted(event: IntegrationEvent<PortalChangePayload>): Promise<void> {
    return this.fanOut(event, 'portal.change-completed', event.payload);
  }

  @OnIntegrationEvent(BILLING_PREVIEW_CHANGED, PER_ITEM_EVENTS)
  onBillingPreviewChanged(event: IntegrationEvent<BillingPreviewChangedPayload>): Promise<void> {
    return this.fanOut(event, 'billing.preview-changed', event.payload);
  }

  @OnIntegrationEvent(BILLING_APPROVAL_NEEDED, PER_ITEM_EVENTS)
  onBillingApprovalNeeded(event: IntegrationEvent<BillingApprovalNeededPayload>): Promise<void> {
    return this.fanOut(event, 'billing.approval-needed', event.payload);
  }

  @OnIntegrationEvent(ALERT_OPENED, PER_ITEM_EVENTS)
  onAlertOpened(event: IntegrationEvent<AlertPayload>): Promise<void> {
    return this.fanOut(event, 'alert.opened', event.payload);
  }

  @OnIntegrationEvent(ALERT_RESOLVED, PER_ITEM_EVENTS)
  onAlertResolved(event: IntegrationEvent<AlertPayload>): Promise<void> {
    return this.fanOut(event, 'alert.resolved', event.payload);
  }

  @OnIntegrationEvent(PSA_SYNC_COMPLETED)
  onPsaSyncCompleted(event: IntegrationEvent<PsaSyncFinishedPayload>): Promise<void> {
    return this.fanOut(event, 'billing.psa-sync-completed', event.payload);
  }

  @OnIntegrationEvent(PSA_SYNC_FAILED)
  onPsaSyncFailed(event: IntegrationEvent<PsaSyncFinishedPayload>): Promise<void> {
    return this.fanOut(event, 'billing.psa-sync-failed', event.payload);
  }

  // Attempts take up to the timeout each, so a few run side by side; a worker that dies mid-attempt has its job
  // expired and retried by pg-boss (the delivery row's claim runs out by then).
  @JobWorker({ queue: DELIVER_WEBHOOK_QUEUE, policy: 'stately', concurrency: 4, retryLimit: 3, expireInSeconds: 2 * 60 })
  async attempt(job: DeliverWebhookJob): Promise<void> {
    await this.deliver.execute(job);
  }

  // The cron only enqueues (every instance fires it; the singleton key keeps one waiting job); pg-boss runs it.
  @Cron('15 * * * * *', { name: 'sweep-webhook-deliveries' })
  async enqueueSweep(): Promise<void> {
    await this.jobs.enqueue(SWEEP_DELIVERIES_QUEUE, {}, { singletonKey: 'sweep' });
  }

  @JobWorker({ queue: SWEEP_DELIVERIES_QUEUE, policy: 'stately', retryLimit: 0 })
  async sweepOverdue(): Promise<void> {
    await this.sweep.execute();
  }

  private fanOut(event: IntegrationEvent<object>, type: WebhookEventType, data: object): Promise<void> {
    return this.record.execute({ id: event.id, organizationId: event.organizationId, occurredAt: event.occurredAt, type, data });
  }
}
