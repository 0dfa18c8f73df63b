import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { CONSENT_REMOVED, type DelegatedAdminRemovedPayload } from '../events';
import { DelegatedAdminNotFoundError } from '../domain/consent.errors';
import { MicrosoftTokenVault } from './microsoft-token-vault';
import { DelegatedAdminRepository, RefreshTokenStore } from './ports/delegated-admin.repository';

// Disconnects a Partner Center account: its tokens are deleted with it.
@Injectable()
export class RemoveDelegatedAdminUseCase {
  constructor(
    private readonly admins: DelegatedAdminRepository,
    private readonly tokens: RefreshTokenStore,
    private readonly vault: MicrosoftTokenVault,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(input: { organizationId: string; delegatedAdminId: string; removedBy: { userId: string; name: string } }): Promise<string> {
    const upn = await this.transaction.run(async () => {
      const admin = await this.admins.findById(input.organizationId, input.delegatedAdminId);
      if (!admin) throw new DelegatedAdminNotFoundError();
      await this.tokens.delete(input.organizationId, admin.id);
      this.admins.remove(admin);
      this.audit.record({
        organizationId: input.organizationId,
        actorUserId: input.removedBy.userId,
        actorName: input.removedBy.name,
        action: 'consent.removed',
        subject: admin.accountUpn,
        outcome: 'success',
      });
      this.outbox.publish(
        integrationEvent<DelegatedAdminRemovedPayload>(
          CONSENT_REMOVED,
          input.organizationId,
          { delegatedAdminId: admin.id, accountUpn: admin.accountUpn },
          this.clock.now(),
        ),
      );
      return admin.accountUpn;
    });
    this.vault.forget(input.delegatedAdminId);
    return upn;
  }
}
