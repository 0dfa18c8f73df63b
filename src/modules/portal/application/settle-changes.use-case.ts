import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { SubscriptionChanges } from '../../partner-center';
import { startScheduled, type ApplyResult, type ChangeRequest } from '../domain/change-request';
import { plural } from '../domain/change-rules';
import { ChangeApplier, SYSTEM_ACTOR } from './change-applier';
import { ChangeRequestRepository } from './ports/change-request.repository';
import { PortalTenants } from './portal-tenants';

// How long an applying request is left alone before its outcome counts as open: an approval in progress calls
// Partner Center for well under a minute.
export const STALE_APPLYING_MS = 10 * 60 * 1000;
const BATCH = 100;

// The portal's background work (a pg-boss job, across organizations): applies the scheduled decreases whose
// renewal day has come, and settles requests whose outcome was left open (Partner Center's answer was unclear,
// or the process stopped mid-way) by reading the subscription again. Nothing is ever sent twice blindly: a
// re-read decides applied or failed.
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

  private async applyScheduled(request: ChangeRequest): Promise<boolean> {
    const started = startScheduled(request, this.clock.now());
    const claimed = await this.transaction.run(() => this.requests.update(started, 'scheduled'));
    if (!claimed) return false;
    await this.applier.apply(started, { decided: false, actor: SYSTEM_ACTOR });
    return true;
  }

  private async settle(request: ChangeRequest): Promise<boolean> {
    const result = await this.reread(request);
    if (result.outcome === 'unknown') return false;
    await this.applier.record(request, result, { decided: false, actor: SYSTEM_ACTOR });
    return true;
  }

  private async reread(request: ChangeRequest): Promise<ApplyResult> {
    const tenant = await this.tenants.find(request.organizationId, request.tenantId);
    if (!tenant) return { outcome: 'failed', reason: 'The tenant is no longer one of the partner’s customers in Sync 365.' };
    let quantity: number | null;
    try {
      quantity = await this.changes.currentQuantity(request.organizationId, tenant.delegatedAdminId, request.tenantId, request.subscriptionId);
    } catch {
      return { outcome: 'unknown', reason: 'Partner Center could not be read.' };
    }
    if (quantity === request.toQuantity) return { outcome: 'applied', quantity, detail: `Partner Center shows ${plural(quantity, 'seat')}: the change was made.` };
    if (quantity === request.fromQuantity) return { outcome: 'failed', reason: `Partner Center did not make the change: it still shows ${plural(quantity, 'seat')}.` };
    if (quantity === null) return { outcome: 'failed', reason: 'Partner Center no longer lists this subscription.' };
    return { outcome: 'unknown', reason: `Partner Center shows ${plural(quantity, 'seat')}.` };
  }
}
