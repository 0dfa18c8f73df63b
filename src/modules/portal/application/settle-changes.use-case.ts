import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { SubscriptionChanges, type SubscriptionCommerceState } from '../../partner-center';
import { startScheduled, type ApplyResult, type ChangeRequest } from '../domain/change-request';
import { plural } from '../domain/change-rules';
import { ChangeApplier, SYSTEM_ACTOR } from './change-applier';
import { ChangeRequestRepository } from './ports/change-request.repository';
import { PortalTenants } from './portal-tenants';

// How long an applying request is left alone before its outcome counts as open: an approval in progress calls
// Partner Center for well under a minute.
export const STALE_APPLYING_MS = 10 * 60 * 1000;
// How long a change Partner Center accepted for later (202) may stay pending before it counts as not made.
// Microsoft publishes no figure; a day is the longest it gives for renewals.
export const PENDING_LIMIT_MS = 24 * 60 * 60 * 1000;
const BATCH = 100;

// The portal's background work (a pg-boss job, across organizations): settles, by reading the subscription in
// Partner Center, the decreases at renewal whose renewal day has come (Partner Center makes them itself from the
// scheduled change written at approval), the changes Partner Center accepted for later (202, pending until the
// subscription reads back changed) and the requests whose outcome was left open (an unclear answer, or the process
// stopped mid-way). Nothing is ever sent twice blindly: a re-read decides applied, pending or failed.
@Injectable()
export class SettleChangesUseCase {
  private readonly logger = new Logger('Portal');

  constructor(
    private readonly requests: ChangeRequestRepository,
    private readonly applier: ChangeApplier,
    private readonly changes: SubscriptionChanges,
    private readonly tenants: PortalTenants,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ applied: number; settled: number }> {
    const now = this.clock.now();
    const due = await this.requests.due(now, new Date(now.getTime() - STALE_APPLYING_MS), BATCH);
    let applied = 0;
    let settled = 0;
    for (const request of due) {
      try {
        if (request.status === 'scheduled') {
          if (await this.applyScheduled(request)) applied += 1;
        } else if (await this.settle(request)) {
          settled += 1;
        }
      } catch (error) {
        // One request's trouble does not hold up the others; it is tried again next time.
        this.logger.error({ err: error, requestId: request.id }, 'Could not settle a licence portal request');
      }
    }
    return { applied, settled };
  }

  // The renewal day has come: Partner Center makes the scheduled change itself when it renews the subscription.
  // The request is claimed (applying) and settled by reading the subscription; see reread.
  private async applyScheduled(request: ChangeRequest): Promise<boolean> {
    const started = startScheduled(request, this.clock.now());
    const claimed = await this.transaction.run(() => this.requests.update(started, 'scheduled'));
    if (!claimed) return false;
    await this.settle(started);
    return true;
  }

  private async settle(request: ChangeRequest): Promise<boolean> {
    const result = await this.reread(request);
    if (result === 'reduce-now') {
      await this.applier.apply(request, { decided: false, actor: SYSTEM_ACTOR });
      return true;
    }
    if (result.outcome === 'unknown') return false;
    if (result.outcome === 'pending' && request.pendingSince) return false;
    await this.applier.record(request, result, { decided: false, actor: SYSTEM_ACTOR });
    return true;
  }

  // What Partner Center holds now decides: the new quantity is applied. Otherwise, by kind:
  // - a decrease at renewal still scheduled has not renewed yet (Microsoft renews within 24 hours of the term's
  //   end); if the scheduled change is gone (an immediate change deletes it) but the new term's 7-day window lets
  //   the seats go now, they are removed now ('reduce-now'); else it failed, with the reason;
  // - a change Partner Center accepted for later (202) stays pending, for up to PENDING_LIMIT_MS;
  // - anything else still at the old quantity was not made.
  private async reread(request: ChangeRequest): Promise<ApplyResult | 'reduce-now'> {
    const tenant = await this.tenants.find(request.organizationId, request.tenantId);
    if (!tenant) return { outcome: 'failed', reason: 'The tenant is no longer one of the partner’s customers in Sync 365.' };
    let state: SubscriptionCommerceState | null;
    try {
      state = await this.changes.subscriptionState(
        request.organizationId,
        tenant.delegatedAdminId,
        request.tenantId,
        request.subscriptionId,
      );
    } catch {
      return { outcome: 'unknown', reason: 'Partner Center could not be read.' };
    }
    if (state === null) return { outcome: 'failed', reason: 'Partner Center no longer lists this subscription.' };
    const { quantity } = state;
    if (quantity === request.toQuantity)
      return { outcome: 'applied', quantity, detail: `Partner Center shows ${plural(quantity, 'seat')}: the change was made.` };
    if (request.kind === 'decrease_at_renewal') {
      if (state.scheduledQuantity === request.toQuantity)
        return {
          outcome: 'unknown',
          reason: 'Partner Center has not renewed the subscription yet; the reduction is scheduled for the renewal.',
        };
      const decrease = quantity - request.toQuantity;
      if (quantity === request.fromQuantity && state.refundableQuantity !== null && decrease > 0 && decrease <= state.refundableQuantity)
        return 'reduce-now';
      if (quantity === request.fromQuantity) {
        return {
          outcome: 'failed',
          reason: `The change scheduled in Partner Center is no longer there (an immediate change to the subscription deletes scheduled changes, or it was removed in Partner Center), and the seats can no longer be removed in this term: Partner Center still shows ${plural(quantity, 'seat')}. Ask again to remove them at the next renewal.`,
        };
      }
      return { outcome: 'unknown', reason: `Partner Center shows ${plural(quantity, 'seat')}.` };
    }
    if (request.pendingSince && quantity === request.fromQuantity) {
      if (this.clock.now().getTime() - request.pendingSince.getTime() <= PENDING_LIMIT_MS) {
        return {
          outcome: 'pending',
          reason: `Partner Center accepted the change and is still making it: it shows ${plural(quantity, 'seat')} for now.`,
        };
      }
      return {
        outcome: 'failed',
        reason: `Partner Center accepted the change but still shows ${plural(quantity, 'seat')} a day later: check the subscription in Partner Center.`,
      };
    }
    if (quantity === request.fromQuantity)
      return { outcome: 'failed', reason: `Partner Center did not make the change: it still shows ${plural(quantity, 'seat')}.` };
    return { outcome: 'unknown', reason: `Partner Center shows ${plural(quantity, 'seat')}.` };
  }
}
