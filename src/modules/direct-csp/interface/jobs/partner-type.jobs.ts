import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { CONSENT_GRANTED, type ConsentGrantedPayload } from '../../../consent/events';
import { DetectPartnerTypeUseCase } from '../../application/detect-partner-type.use-case';

export const DETECT_PARTNER_TYPE_QUEUE = 'direct-csp.detect-partner-type';

interface DetectPartnerTypeJob {
  organizationId: string;
  delegatedAdminId: string;
}

// After every consent (and re-grant), detect the partner type. The handler only enqueues: the reads call
// Microsoft, which must not happen inside the event's transaction.
@Injectable()
export class PartnerTypeJobs {
  constructor(
    private readonly detect: DetectPartnerTypeUseCase,
    private readonly jobs: JobQueue,
  ) {}

  @OnIntegrationEvent(CONSENT_GRANTED)
  async onConsentGranted(event: IntegrationEvent<ConsentGrantedPayload>): Promise<void> {
    const job: DetectPartnerTypeJob = { organizationId: event.organizationId, delegatedAdminId: event.payload.delegatedAdminId };
    await this.jobs.enqueue(DETECT_PARTNER_TYPE_QUEUE, job, { singletonKey: event.payload.delegatedAdminId });
  }

  @JobWorker({ queue: DETECT_PARTNER_TYPE_QUEUE, policy: 'stately', retryLimit: 3, expireInSeconds: 10 * 60 })
  async detectPartnerType(job: DetectPartnerTypeJob): Promise<void> {
    await this.detect.execute(job.organizationId, job.delegatedAdminId);
  }
}
