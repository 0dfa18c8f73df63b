import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { PORTAL_CHANGE_DECIDED } from '../events';
import { approve, CHANGE_STATUS_LABELS, reject, type ChangeRequest } from '../domain/change-request';
import { ChangeRequestDecidedError, ChangeRequestNotFoundError, ScheduledChangeNotCancelledError } from '../domain/portal.errors';
import { ChangeApplier } from './change-applier';
import { changeEvent, changeWords } from './change-events';
import { ChangeRequestRepository } from './ports/change-request.repository';

// The partner's decision on a customer's request. Approval is committed (applying, or scheduled for a decrease
// at renewal) before Partner Center is called, so a second click or a second staff member cannot apply it twice.
@Injectable()
export class DecideChangeUseCase {
  constructor(
    private readonly requests: ChangeRequestRepository,
    private readonly applier: ChangeApplier,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async approve(actor: Actor, requestId: string, comment: unknown): Promise<ChangeRequest> {
    const request = await this.load(actor, requestId);
    const now = this.clock.now();
    const approved = approve(request, { userId: actor.userId, name: actor.displayName }, textOf(comment), now);
    await this.transaction.run(async () => {
      await this.save(approved, request);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'portal.change-approved',
        subject: `${request.tenantName}: ${changeWords(request)}`,
        outcome: 'success',
        detail:
          [approved.result, approved.decisionComment && `Comment: ${approved.decisionComment}`].filter(Boolean).join(' ') || undefined,
      });
      if (approved.status === 'scheduled') this.outbox.publish(changeEvent(PORTAL_CHANGE_DECIDED, approved, now));
    });
    // A decrease at renewal is written into Partner Center now, as a scheduled change (FACTS §7a.4).
    if (approved.status === 'scheduled') return this.applier.schedule(approved, { userId: actor.userId, name: actor.displayName });
    return this.applier.apply(approved, { decided: true, actor: { userId: actor.userId, name: actor.displayName } });
  }

  async reject(actor: Actor, requestId: string, comment: unknown): Promise<ChangeRequest> {
    const request = await this.load(actor, requestId);
    const now = this.clock.now();
    const rejected = reject(request, { userId: actor.userId, name: actor.displayName }, textOf(comment), now);
    // Calling off a scheduled decrease removes it from Partner Center first, or Partner Center would still make it.
    if (request.status === 'scheduled') {
      const problem = await this.applier.cancelSchedule(request);
      if (problem) throw new ScheduledChangeNotCancelledError(problem);
    }
    await this.transaction.run(async () => {
      await this.save(rejected, request);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'portal.change-rejected',
        subject: `${request.tenantName}: ${changeWords(request)}`,
        outcome: 'success',
        detail: `Comment: ${rejected.decisionComment}`,
      });
      this.outbox.publish(changeEvent(PORTAL_CHANGE_DECIDED, rejected, now));
    });
    return rejected;
  }

  private async load(actor: Actor, requestId: string): Promise<ChangeRequest> {
    const request = await this.requests.find(actor.organizationId, requestId);
    if (!request) throw new ChangeRequestNotFoundError();
    return request;
  }

  // Only from the status it was read in: someone who decided first wins, the other is told.
  private async save(changed: ChangeRequest, before: ChangeRequest): Promise<void> {
    if (!(await this.requests.update(changed, before.status))) {
      const now = await this.requests.find(before.organizationId, before.id);
      throw new ChangeRequestDecidedError(now ? CHANGE_STATUS_LABELS[now.status].toLowerCase() : 'gone');
    }
  }
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
