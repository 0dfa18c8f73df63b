import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { CUSTOMER_LIST_READ, CUSTOMER_LIST_REFUSED, type CustomerListPayload } from '../../../tenants/events';
import { RecordPartnerCenterAccessUseCase } from '../../application/record-partner-center-access.use-case';

@Injectable()
export class ImportOutcomeHandler {
  constructor(private readonly recordAccess: RecordPartnerCenterAccessUseCase) {}

  @OnIntegrationEvent(CUSTOMER_LIST_REFUSED)
  async onListRefused(event: IntegrationEvent<CustomerListPayload>): Promise<void> {
    // The token vault recorded a refused consent as Needs re-consent when Entra answered; recording it again here, later,
    // could overwrite what happened since (a re-grant, another refusal).
    if (event.payload.consentRefused) return;
    await this.recordAccess.execute(
      event.organizationId,
      event.payload.delegatedAdminId,
      event.payload.reason ?? 'Partner Center refused the account.',
      new Date(event.payload.importStartedAt),
    );
  }

  @OnIntegrationEvent(CUSTOMER_LIST_READ)
  async onListRead(event: IntegrationEvent<CustomerListPayload>): Promise<void> {
    await this.recordAccess.execute(event.organizationId, event.payload.delegatedAdminId, null, new Date(event.payload.importStartedAt));
  }
}
