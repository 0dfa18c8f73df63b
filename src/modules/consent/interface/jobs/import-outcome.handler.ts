import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import type { CUSTOMER_LIST_READ, CUSTOMER_LIST_REFUSED, CustomerListPayload } from '../../../tenants/events';
import { RecordPartnerCenterAccessUseCase } from '../../application/record-partner-center-access.use-case';

// The tenants contract's event names, checked against it at compile time. Only types come from tenants: tenants
// depends on consent, and a value import back would close a require cycle.
const LIST_READ: typeof CUSTOMER_LIST_READ = 'tenants.customer-list-read';
const LIST_REFUSED: typeof CUSTOMER_LIST_REFUSED = 'tenants.customer-list-refused';

@Injectable()
export class ImportOutcomeHandler {
  constructor(private readonly recordAccess: RecordPartnerCenterAccessUseCase) {}

  @OnIntegrationEvent(LIST_REFUSED)
  async onListRefused(event: IntegrationEvent<CustomerListPayload>): Promise<void> {
    await this.recordAccess.execute(event.organizationId, event.payload.delegatedAdminId, event.payload.reason ?? 'Partner Center refused the account.', new Date(event.payload.importStartedAt));
  }

  @OnIntegrationEvent(LIST_READ)
  async onListRead(event: IntegrationEvent<CustomerListPayload>): Promise<void> {
    await this.recordAccess.execute(event.organizationId, event.payload.delegatedAdminId, null, new Date(event.payload.importStartedAt));
  }
}
