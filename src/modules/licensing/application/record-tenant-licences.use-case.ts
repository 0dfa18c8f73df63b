import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import type { DirectorySubscriptionsRead, SkuLicenceSnapshot, SubscriptionSnapshot } from '../../partner-center';
import { LICENCES_RECORDED, type LicencesRecordedPayload } from '../events';
import type { RecordingOutcome } from '../domain/licensed-tenant';
import { LicensedTenantRepository } from './ports/licensed-tenant.repository';

export interface RecordTenantLicencesCommand {
  organizationId: string;
  importRunId: string;
  tenantId: string;
  // ISO-8601: when the import read the licences from Partner Center.
  readAt: string;
  skus: readonly SkuLicenceSnapshot[];
  // Why Partner Center would not list the licences this time (no licence-reading GDAP role); `skus` is then ignored
  // and the stored licences stay as last read, marked unreadable.
  licencesUnreadable?: string;
  subscriptions: readonly SubscriptionSnapshot[];
  // The customer's directory subscriptions, or why they could not be read; absent: not part of this read.
  directory?: DirectorySubscriptionsRead;
}

// Records the licences and subscriptions (Partner Center's and the directory's) an import read for one customer
// tenant and tells the tenants module the seat totals (licensing.licences-recorded), in one transaction. Rows are
// written only where something changed.
@Injectable()
export class RecordTenantLicencesUseCase {
  constructor(
    private readonly tenants: LicensedTenantRepository,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  execute(command: RecordTenantLicencesCommand): Promise<RecordingOutcome> {
    const tenantId = command.tenantId.toLowerCase();
    const readAt = readTime(command.readAt) ?? this.clock.now();
    // Joins the event handler's transaction (its inbox row) rather than nesting a savepoint in it.
    return this.transaction.join(async () => {
      const tenant = await this.tenants.load(
        command.organizationId,
        tenantId,
        command.subscriptions.map((s) => s.id),
      );
      const outcome = tenant.record(
        {
          skus: command.skus,
          licencesUnreadable: command.licencesUnreadable,
          subscriptions: command.subscriptions,
          directory: command.directory,
          readAt,
        },
        randomUUID,
      );
      // Published for every read, changed or not: the tenants module counts them to finish the import.
      const recorded = integrationEvent<LicencesRecordedPayload>(
        LICENCES_RECORDED,
        command.organizationId,
        {
          importRunId: command.importRunId,
          tenantId: command.tenantId,
          ...outcome.totals,
          licencesUnreadable: outcome.licencesUnreadable ?? null,
        },
        this.clock.now(),
      );
      if (!(await this.tenants.saveAndPublish(tenant, recorded))) {
        await this.tenants.save(tenant);
        this.outbox.publish(recorded);
      }
      return outcome;
    });
  }
}

// A read time that cannot be parsed must not stop the import (the event would be retried forever): now it is.
function readTime(value: string): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
