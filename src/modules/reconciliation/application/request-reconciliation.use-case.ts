import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import type { Actor } from '../../../shared/application/actor';
import { Transaction } from '../../../shared/application/transaction';
import { DelegatedAdminQueries } from '../../consent';
import { AuditTrail } from '../../audit';
import { RECONCILIATION_DUE, type ReconciliationDuePayload } from '../events';
import { NoConnectedAccountError } from '../domain';

// "Run the reconciliation now": the same run as the daily one. The tenants module re-reads every tenant (the import banner shows
// the progress); each finished import becomes a reconciliation run.
@Injectable()
export class RequestReconciliationUseCase {
  constructor(
    private readonly delegatedAdmins: DelegatedAdminQueries,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  // Refused (NoConnectedAccountError) when no connected account could be read through: the tenants module would
  // skip them all (it skips accounts that need re-consent), start nothing, and the run would never come.
  // `requestedBy`: the person who pressed "Run the reconciliation now", audit logged with the request.
  execute(organizationId: string, requestedBy?: Actor): Promise<void> {
    return this.transaction.run(async () => {
      const accounts = await this.delegatedAdmins.list(organizationId);
      if (accounts.length === 0) throw NoConnectedAccountError.none();
      if (accounts.every((a) => a.status === 'needs_reconsent'))
        throw NoConnectedAccountError.allNeedReconsent(accounts.map((a) => a.accountUpn));
      this.outbox.publish(
        integrationEvent<ReconciliationDuePayload>(
          RECONCILIATION_DUE,
          organizationId,
          { trigger: 'manual', localDate: null },
          this.clock.now(),
        ),
      );
      if (requestedBy)
        this.audit.record({
          organizationId,
          actorUserId: requestedBy.userId,
          actorName: requestedBy.displayName,
          action: 'licensing.reconciliation-requested',
          subject: 'Licensing reconciliation',
          outcome: 'success',
          detail: 'Sync 365 re-reads every customer tenant, then reconciles.',
        });
    });
  }
}
