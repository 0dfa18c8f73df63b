import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { changeKindLabel } from '../domain/approval';
import { ApprovalNotFoundError } from '../domain/billing.errors';
import { formatMoney } from '../domain/money';
import { BillableLicences } from './ports/billable-licences.port';
import { BillingRepository, type StoredApproval } from './ports/billing.repository';
import { type ActingParty } from '../../../shared/application/actor';

// A person approves a waiting change (it goes onto the approved invoice) or rejects it (the invoice keeps the
// approved line; the same change is not asked again until the preview moves on). Audited with who and when.
@Injectable()
export class DecideApprovalUseCase {
  constructor(
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(actor: ActingParty, approvalId: string, decision: 'approve' | 'reject'): Promise<StoredApproval> {
    return this.transaction.run(async () => {
      const approval = await this.billing.approval(actor.organizationId, approvalId);
      if (!approval || approval.status !== 'pending') throw new ApprovalNotFoundError();
      const now = this.clock.now();
      const status = decision === 'approve' ? 'approved' : 'rejected';
      if (!(await this.billing.decideApproval(actor.organizationId, approval.id, status, now, actor.name)))
        throw new ApprovalNotFoundError();
      if (decision === 'approve') await this.billing.applyChanges(actor.organizationId, [approval], now, actor.name);
      const customer = await this.licences.customer(actor.organizationId, approval.tenantId);
      const settings = await this.billing.settings(actor.organizationId);
      const product = (approval.after ?? approval.before)!.productName;
      const from = approval.before
        ? `${approval.before.quantity} × ${formatMoney(approval.before.unitPrice, settings.currency)} = ${formatMoney(approval.before.amount, settings.currency)}`
        : 'not invoiced';
      const to = approval.after
        ? `${approval.after.quantity} × ${formatMoney(approval.after.unitPrice, settings.currency)} = ${formatMoney(approval.after.amount, settings.currency)}`
        : 'removed';
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: decision === 'approve' ? 'billing.change-approved' : 'billing.change-rejected',
        subject: `${customer?.companyName ?? approval.tenantId}: ${product}`,
        outcome: 'success',
        detail: `${changeKindLabel(approval.kind)}: ${from} → ${to}`,
      });
      return { ...approval, status, decidedAt: now, decidedByName: actor.name };
    });
  }
}
