import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { DomainError } from '../../../shared/domain/domain-error';
import { EventOutbox } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { SelfServicePortals } from '../../direct-csp';
import { SubscriptionChanges } from '../../partner-center';
import { PORTAL_CHANGE_COMPLETED, PORTAL_CHANGE_DECIDED } from '../events';
import { finish, recordSchedule, type ApplyResult, type ChangeRequest } from '../domain/change-request';
import { checkApproved } from '../domain/change-rules';
import { changeEvent, changeWords } from './change-events';
import { ChangeRequestRepository } from './ports/change-request.repository';
import { PortalTenants } from './portal-tenants';
import { TenantPictureReader } from './tenant-picture';

// Who the result is recorded for in the audit log: the partner's staff member who approved, or Sync 365 itself
// (a scheduled decrease, a late confirmation).
export interface ResultActor {
  userId: string | null;
  name: string;
}

export const SYSTEM_ACTOR: ResultActor = { userId: null, name: 'Sync 365 (scheduled)' };

const AUDIT_ACTIONS = {
  applied: 'portal.change-applied',
  failed: 'portal.change-failed',
  unknown: 'portal.change-unconfirmed',
  pending: 'portal.change-pending',
} as const;

// Applies a request that is `applying` (committed before this is called): checks again that the tenant is still a
// customer with the portal on and that the rules allow the change, changes the quantity through Partner Center,
// and records the outcome with its audit entry and event in one transaction. Partner Center's refusals and
// failures leave the subscription as it was and the request failed with the reason; an open outcome leaves it
// applying for SettleChangesUseCase.
@Injectable()
export class ChangeApplier {
  private readonly logger = new Logger('Portal');

  constructor(
    private readonly tenants: PortalTenants,
    private readonly portals: SelfServicePortals,
    private readonly pictures: TenantPictureReader,
    private readonly changes: SubscriptionChanges,
    private readonly requests: ChangeRequestRepository,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  // `decided`: this is the partner's decision being carried out (the decided event says what came of it);
  // otherwise a change finishing later (the completed event).
  async apply(request: ChangeRequest, options: { decided: boolean; actor: ResultActor }): Promise<ChangeRequest> {
    return this.record(request, await this.outcome(request), options);
  }

  // Writes the outcome. An unknown outcome of a later attempt changes nothing (the next attempt tries again).
  async record(request: ChangeRequest, result: ApplyResult, options: { decided: boolean; actor: ResultActor }): Promise<ChangeRequest> {
    if (result.outcome === 'unknown' && !options.decided) return request;
    // Still pending in Partner Center: nothing new to record.
    if (result.outcome === 'pending' && request.pendingSince && !options.decided) return request;
    const now = this.clock.now();
    const finished = finish(request, result, now);
    return this.transaction.run(async () => {
      // Settled meanwhile by another instance: what it recorded stands.
      if (!(await this.requests.update(finished, 'applying')))
        return (await this.requests.find(request.organizationId, request.id)) ?? request;
      this.audit.record({
        organizationId: request.organizationId,
        actorUserId: options.actor.userId,
        actorName: options.actor.name,
        action: AUDIT_ACTIONS[result.outcome],
        subject: `${request.tenantName}: ${changeWords(request)}`,
        outcome: result.outcome === 'applied' || result.outcome === 'pending' ? 'success' : 'failure',
        detail: finished.result ?? undefined,
      });
      if (options.decided) this.outbox.publish(changeEvent(PORTAL_CHANGE_DECIDED, finished, now));
      else this.outbox.publish(changeEvent(PORTAL_CHANGE_COMPLETED, finished, now));
      return finished;
    });
  }

  // A decrease at renewal just approved: written into Partner Center now as a scheduled change (FACTS §7a.4), so
  // Partner Center makes it when the subscription renews. A refusal fails the request with the reason.
  async schedule(request: ChangeRequest, actor: ResultActor): Promise<ChangeRequest> {
    const result = await this.scheduleOutcome(request);
    const now = this.clock.now();
    const recorded = recordSchedule(request, result, now);
    return this.transaction.run(async () => {
      if (!(await this.requests.update(recorded, 'scheduled')))
        return (await this.requests.find(request.organizationId, request.id)) ?? request;
      if (result.outcome === 'unknown') return recorded;
      this.audit.record({
        organizationId: request.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: result.outcome === 'scheduled' ? 'portal.change-scheduled' : 'portal.change-failed',
        subject: `${request.tenantName}: ${changeWords(request)}`,
        outcome: result.outcome === 'scheduled' ? 'success' : 'failure',
        detail: recorded.result ?? undefined,
      });
      if (result.outcome === 'failed') this.outbox.publish(changeEvent(PORTAL_CHANGE_COMPLETED, recorded, now));
      return recorded;
    });
  }

  // Before a scheduled decrease is called off: the change scheduled in Partner Center is removed. Null when it is
  // gone, else why it could not be removed.
  async cancelSchedule(request: ChangeRequest): Promise<string | null> {
    const tenant = await this.tenants.find(request.organizationId, request.tenantId);
    if (!tenant) return null;
    const outcome = await this.changes.cancelScheduledQuantity(quantityChangeOf(request, tenant.delegatedAdminId));
    if (outcome.outcome === 'cancelled') return null;
    return outcome.outcome === 'scheduled' ? 'Partner Center still shows the change.' : outcome.reason;
  }

  private async scheduleOutcome(
    request: ChangeRequest,
  ): Promise<{ outcome: 'scheduled'; renewsOn: Date | null; detail: string } | { outcome: 'failed' | 'unknown'; reason: string }> {
    const tenant = await this.tenants.find(request.organizationId, request.tenantId);
    if (!tenant)
      return { outcome: 'failed', reason: 'The tenant is no longer one of the partner’s customers in Sync 365, so nothing was scheduled.' };
    if (!(await this.portals.isEnabled(request.organizationId, request.tenantId)))
      return { outcome: 'failed', reason: 'The licence portal was switched off for this tenant, so nothing was scheduled.' };
    try {
      const outcome = await this.changes.scheduleQuantityAtRenewal(quantityChangeOf(request, tenant.delegatedAdminId));
      if (outcome.outcome === 'scheduled')
        return { outcome: 'scheduled', renewsOn: outcome.renewsOn ? new Date(outcome.renewsOn) : null, detail: outcome.detail };
      return { outcome: outcome.outcome === 'refused' ? 'failed' : outcome.outcome, reason: outcome.reason };
    } catch (error) {
      this.logger.error({ err: error, requestId: request.id }, 'Unexpected error scheduling a subscription change');
      return { outcome: 'unknown', reason: 'Sync 365 could not tell whether Partner Center scheduled the change.' };
    }
  }

  private async outcome(request: ChangeRequest): Promise<ApplyResult> {
    const tenant = await this.tenants.find(request.organizationId, request.tenantId);
    if (!tenant)
      return { outcome: 'failed', reason: 'The tenant is no longer one of the partner’s customers in Sync 365, so nothing was changed.' };
    // A request approved, or a decrease scheduled, while the portal was on is not carried out once it is off.
    if (!(await this.portals.isEnabled(request.organizationId, request.tenantId)))
      return { outcome: 'failed', reason: 'The licence portal was switched off for this tenant, so nothing was changed.' };
    const refusal = await this.stillAllowed(request);
    if (refusal) return { outcome: 'failed', reason: `No longer allowed, so nothing was changed: ${refusal}` };
    try {
      const outcome = await this.changes.changeQuantity(quantityChangeOf(request, tenant.delegatedAdminId));
      return outcome.outcome === 'refused' ? { outcome: 'failed', reason: outcome.reason } : outcome;
    } catch (error) {
      // The port sorts every answer Partner Center can give; anything else leaves the effect open, and a later
      // re-read settles it.
      this.logger.error({ err: error, requestId: request.id }, 'Unexpected error changing a subscription quantity');
      return { outcome: 'unknown', reason: 'Sync 365 could not tell what Partner Center did with the change.' };
    }
  }

  // The rules as they stand now (the request started from `fromQuantity`, which Partner Center checks too).
  private async stillAllowed(request: ChangeRequest): Promise<string | null> {
    const picture = await this.pictures.read(request.organizationId, request.tenantId, this.clock.now());
    const subscription = picture.subscriptions.find((s) => s.facts.id.toLowerCase() === request.subscriptionId.toLowerCase());
    if (!subscription) return 'Sync 365 no longer finds this subscription among the tenant’s subscriptions.';
    try {
      checkApproved(
        { ...subscription.facts, quantity: request.fromQuantity },
        subscription.seats,
        request.kind,
        request.toQuantity,
        this.clock.now(),
      );
      return null;
    } catch (error) {
      if (error instanceof DomainError) return error.message;
      throw error;
    }
  }
}

// The subscription change a request asks Partner Center for, through the delegated admin that reads its tenant.
function quantityChangeOf(request: ChangeRequest, delegatedAdminId: string) {
  return {
    organizationId: request.organizationId,
    delegatedAdminId,
    customerTenantId: request.tenantId,
    subscriptionId: request.subscriptionId,
    from: request.fromQuantity,
    to: request.toQuantity,
  };
}
