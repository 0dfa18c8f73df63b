import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { Clock } from '../../../../shared/application/clock';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { BILLING_PREVIEW_CHANGED } from '../../../billing/events';
import { PSA_SYNC_COMPLETED, PSA_SYNC_FAILED } from '../../../psa-sync/events';
import { CONSENT_GRANTED, CONSENT_RECONSENT_NEEDED, CONSENT_REMOVED } from '../../../consent/events';
import { RECONCILIATION_COMPLETED } from '../../../reconciliation/events';
import { AlertRepository } from '../../application/ports/alert.repository';
import { EvaluateAlertsUseCase } from '../../application/evaluate-alerts.use-case';
import { PlanAlertEmailsUseCase, SEND_ALERT_EMAIL_QUEUE } from '../../application/plan-alert-emails.use-case';
import { SendAlertEmailUseCase } from '../../application/send-alert-email.use-case';

export const EVALUATE_ALERTS_QUEUE = 'alerts.evaluate';
export const EVALUATE_ALL_ALERTS_QUEUE = 'alerts.evaluate-all';

// Alerts are evaluated after every reconciliation (which every finished import ends with), a changed invoice preview,
// a finished PSA sync, and whenever a connection changes (through their integration events), and every hour for
// every organization evaluated before (dates move: a window closes, a relationship nears its end). Evaluations of
// one organization queue one behind the other.
@Injectable()
export class AlertJobs {
  constructor(
    private readonly jobs: JobQueue,
    private readonly evaluate: EvaluateAlertsUseCase,
    private readonly planEmails: PlanAlertEmailsUseCase,
    private readonly sendEmail: SendAlertEmailUseCase,
    private readonly alerts: AlertRepository,
    private readonly clock: Clock,
  ) {}

  // Every finished import is reconciled (import-finished → reconciliation-completed, seconds later), so its facts are
  // evaluated then, once: evaluating on import-finished as well ran a second evaluation of every tenant beside the
  // reconciliation (at 10,000 customers, seconds of the same thread and database) and saw the billing view before it.
  @OnIntegrationEvent(RECONCILIATION_COMPLETED)
  onReconciliationCompleted(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  // A product mapped or a profile removed changes what is billed (the "no billing profile" alert).
  // One per changed tenant (a profile change on a large partner: thousands): taken 25 at a time.
  @OnIntegrationEvent(BILLING_PREVIEW_CHANGED, { batchSize: 25 })
  onBillingPreviewChanged(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  // A PSA sync that failed opens an alert; the next one that succeeds resolves it.
  @OnIntegrationEvent(PSA_SYNC_COMPLETED)
  onPsaSyncCompleted(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  @OnIntegrationEvent(PSA_SYNC_FAILED)
  onPsaSyncFailed(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  @OnIntegrationEvent(CONSENT_RECONSENT_NEEDED)
  onReconsentNeeded(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  @OnIntegrationEvent(CONSENT_GRANTED)
  onConsentGranted(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  @OnIntegrationEvent(CONSENT_REMOVED)
  onConsentRemoved(event: IntegrationEvent): Promise<void> {
    return this.enqueueEvaluation(event.organizationId);
  }

  @JobWorker({ queue: EVALUATE_ALERTS_QUEUE, policy: 'stately', concurrency: 2, retryLimit: 3, expireInSeconds: 30 * 60 })
  async runEvaluation(job: { organizationId: string }): Promise<void> {
    await this.evaluate.execute(job.organizationId);
    await this.planEmails.execute(job.organizationId);
  }

  // Every instance's cron fires; the hour's key lets one job through.
  @Cron('0 7 * * * *', { name: 'alerts-hourly', timeZone: 'UTC' })
  async enqueueHourly(): Promise<void> {
    await this.jobs.enqueue(EVALUATE_ALL_ALERTS_QUEUE, {}, { onceKey: `alerts-${this.clock.now().toISOString().slice(0, 13)}` });
  }

  @JobWorker({ queue: EVALUATE_ALL_ALERTS_QUEUE, policy: 'stately', retryLimit: 1 })
  async evaluateAll(): Promise<void> {
    for (const organizationId of await this.alerts.evaluatedOrganizations()) await this.enqueueEvaluation(organizationId);
    // A mail recorded whose job never got queued (the process died between the commit and the enqueue).
    const stale = await this.alerts.pendingEmails(new Date(this.clock.now().getTime() - 10 * 60 * 1000), 1000);
    for (const emailId of stale) await this.jobs.enqueue(SEND_ALERT_EMAIL_QUEUE, { emailId }, { singletonKey: emailId });
  }

  @JobWorker({ queue: SEND_ALERT_EMAIL_QUEUE, policy: 'stately', concurrency: 2, retryLimit: 0, expireInSeconds: 5 * 60 })
  async send(job: { emailId: string }): Promise<void> {
    await this.sendEmail.execute(job.emailId);
  }

  private async enqueueEvaluation(organizationId: string): Promise<void> {
    await this.jobs.enqueue(EVALUATE_ALERTS_QUEUE, { organizationId }, { singletonKey: organizationId });
  }
}
