import { Injectable } from '@nestjs/common';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { DelegatedAdminRepository } from './ports/delegated-admin.repository';

// What an import learnt about a delegated admin: Partner Center refused its customer list (status Failed, with
// the reason), or accepted it again (back to Active). A connection that needs re-consent stays so.
@Injectable()
export class RecordPartnerCenterAccessUseCase {
  constructor(
    private readonly admins: DelegatedAdminRepository,
    private readonly transaction: Transaction,
    private readonly audit: AuditTrail,
  ) {}

  execute(organizationId: string, delegatedAdminId: string, refusal: string | null, observedSince: Date): Promise<void> {
    return this.transaction.run(async () => {
      const admin = await this.admins.findById(organizationId, delegatedAdminId);
      if (!admin) return;
      if (refusal !== null && admin.fail(refusal, observedSince)) {
        this.audit.record({
          organizationId,
          actorUserId: null,
          actorName: 'Sync 365',
          action: 'consent.partner-center-refused',
          subject: admin.accountUpn,
          outcome: 'failure',
          detail: refusal,
        });
      } else if (refusal === null && admin.recover()) {
        this.audit.record({
          organizationId,
          actorUserId: null,
          actorName: 'Sync 365',
          action: 'consent.partner-center-accepted',
          subject: admin.accountUpn,
          outcome: 'success',
        });
      }
    });
  }
}
