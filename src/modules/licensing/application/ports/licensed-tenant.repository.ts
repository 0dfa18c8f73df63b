import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import type { LicensedTenant } from '../../domain/licensed-tenant';

// Every method takes the organization: a tenant's licences are only ever reached within their organization.
export abstract class LicensedTenantRepository {
  // The tenant's licences, subscriptions (plus the organization's subscriptions with these ids, should Partner
  // Center now list one under this tenant) and last read time. Holds the tenant until the caller's transaction
  // ends, so two reads of one tenant are recorded one after the other.
  abstract load(organizationId: string, tenantId: string, subscriptionIds: readonly string[]): Promise<LicensedTenant>;
  // Writes exactly what the last `record` changed, in as few statements as the store allows, with the caller's
  // transaction.
  abstract save(tenant: LicensedTenant): Promise<void>;
  // save, and the integration event in the outbox in the same round trip as the read stamp (on every recording, most of
  // which change nothing, these were two). False, having written nothing, where the store cannot: the caller then saves
  // and publishes through its EventOutbox.
  saveAndPublish(_tenant: LicensedTenant, _event: IntegrationEvent<object>): Promise<boolean> {
    return Promise.resolve(false);
  }
}
