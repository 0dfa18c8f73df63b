import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import type { DirectorySubscriptionsRead, SubscribedSkusRead } from '../../../partner-center';
import { TENANT_LICENCES_READ, type TenantLicencesReadPayload } from '../../../tenants/events';
import { RecordTenantLicencesUseCase } from '../../application/record-tenant-licences.use-case';

// Records the licences the import read for one customer tenant (durable, at least once; the registry runs this
// once per event id, in one transaction with the event's inbox row).
@Injectable()
export class TenantLicencesReadHandler {
  constructor(private readonly recordTenantLicences: RecordTenantLicencesUseCase) {}

  // Several at once (half the requests in flight per Microsoft limit key, which bound how fast the import reads tenants;
  // a quarter left these recordings, a dozen statements each, the import's slowest step: npm run bench:profile): events
  // of different tenants are independent, and recordings of one tenant take turns on its advisory lock.
  // Eight at a time per worker, one commit for them (one transaction, each event with its inbox row as before).
  @OnIntegrationEvent(TENANT_LICENCES_READ, { concurrency: (config) => Math.ceil(config.microsoftConcurrencyPerLimit / 2), batchSize: 8 })
  async onTenantLicencesRead(event: IntegrationEvent<TenantLicencesReadPayload>): Promise<void> {
    const payload = event.payload;
    // A payload without its lists would read as "every licence is gone": refuse it rather than delete them.
    if (!Array.isArray(payload.skus) || !Array.isArray(payload.subscriptions)) {
      throw new Error(`${TENANT_LICENCES_READ} ${event.id} has no skus or subscriptions list; nothing was recorded`);
    }
    // Likewise a directory without its list would read as "every directory subscription is gone". An event without
    // a directory at all (published before directories were read) leaves the stored one as it is.
    if (payload.directory !== undefined && !isDirectoryRead(payload.directory)) {
      throw new Error(
        `${TENANT_LICENCES_READ} ${event.id} has a directory with neither a subscriptions list nor a reason; nothing was recorded`,
      );
    }
    // Licences Partner Center would not list are unknown, never "every licence is gone".
    const licences = payload.licences;
    if (licences !== undefined && !isLicencesRead(licences)) {
      throw new Error(`${TENANT_LICENCES_READ} ${event.id} has licences with neither a skus list nor a reason; nothing was recorded`);
    }
    await this.recordTenantLicences.execute({
      organizationId: event.organizationId,
      importRunId: payload.importRunId,
      tenantId: payload.tenantId,
      readAt: payload.readAt,
      skus: licences && 'skus' in licences ? licences.skus : payload.skus,
      licencesUnreadable: licences && 'unreadable' in licences ? licences.unreadable : undefined,
      subscriptions: payload.subscriptions,
      directory: payload.directory,
    });
  }
}

function isDirectoryRead(value: unknown): value is DirectorySubscriptionsRead {
  const directory = value as Partial<Record<'subscriptions' | 'unreadable', unknown>> | null;
  return (
    typeof directory === 'object' &&
    directory !== null &&
    (Array.isArray(directory.subscriptions) || typeof directory.unreadable === 'string')
  );
}

function isLicencesRead(value: unknown): value is SubscribedSkusRead {
  const licences = value as Partial<Record<'skus' | 'unreadable', unknown>> | null;
  return typeof licences === 'object' && licences !== null && (Array.isArray(licences.skus) || typeof licences.unreadable === 'string');
}
