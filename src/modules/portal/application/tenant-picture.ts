import { Injectable } from '@nestjs/common';
import { instant, isMonthlyTerm, LicensingQueries, subscriptionState, termLabel, type SubscriptionView } from '../../licensing';
import { quantityNow, type AppliedChange } from '../domain/applied-changes';
import { changeRules, type ChangeRules, type ProductSeats, type SubscriptionFacts } from '../domain/change-rules';
import { ChangeRequestRepository } from './ports/change-request.repository';

export interface PortalLicence {
  skuId: string;
  productName: string;
  purchased: number;
  assigned: number;
  available: number;
}

export interface PortalSubscription {
  facts: SubscriptionFacts;
  seats: ProductSeats | null;
  rules: ChangeRules;
  // For display: as Partner Center says them.
  term: string | null;
  billingCycle: string;
  status: string;
  isTrial: boolean;
}

export interface TenantPicture {
  licences: PortalLicence[];
  subscriptions: PortalSubscription[];
  // When the licensing module last read the tenant; null: never.
  readAt: Date | null;
}

// How many of the tenant's latest requests are searched for changes applied since the last read.
const RECENT_REQUESTS = 200;

// The tenant's licences and subscriptions as the portal shows them and as its rules judge them: the licensing
// module's figures, with the changes applied through the portal since its last read laid over them.
@Injectable()
export class TenantPictureReader {
  constructor(
    private readonly licensing: LicensingQueries,
    private readonly requests: ChangeRequestRepository,
  ) {}

  async read(organizationId: string, tenantId: string, now: Date): Promise<TenantPicture> {
    const [licences, subscriptions, requests] = await Promise.all([
      this.licensing.licencesOfTenant(organizationId, tenantId),
      this.licensing.subscriptionsOfTenant(organizationId, tenantId),
      this.requests.ofTenant(organizationId, tenantId, RECENT_REQUESTS),
    ]);
    const applied: AppliedChange[] = requests.flatMap((r) =>
      r.status === 'applied' && r.appliedQuantity !== null && r.completedAt
        ? [{ subscriptionId: r.subscriptionId, appliedQuantity: r.appliedQuantity, completedAt: r.completedAt }]
        : [],
    );

    const current = subscriptions.map((view) => ({
      view,
      quantity: quantityNow({ id: view.id, quantity: view.quantity, readAt: new Date(view.readAt) }, applied),
    }));
    // Seats added or removed since the read change the product's purchased count by as much.
    const deltaBySku = new Map<string, number>();
    for (const { view, quantity } of current) {
      if (view.skuId) deltaBySku.set(view.skuId.toLowerCase(), (deltaBySku.get(view.skuId.toLowerCase()) ?? 0) + quantity - view.quantity);
    }
    const portalLicences = licences.map((licence): PortalLicence => {
      const purchased = licence.purchased + (deltaBySku.get(licence.skuId.toLowerCase()) ?? 0);
      return {
        skuId: licence.skuId,
        productName: licence.productName,
        purchased,
        assigned: licence.assigned,
        available: purchased - licence.assigned,
      };
    });
    const licenceOf = new Map(portalLicences.map((licence) => [licence.skuId.toLowerCase(), licence]));

    // A scheduled reduction called off through the portal since the last read is gone from Partner Center.
    const calledOff = new Set(
      requests
        .filter((r) => r.kind === 'decrease_at_renewal' && r.status === 'rejected' && r.decidedBy && r.completedAt)
        .map((r) => `${r.subscriptionId.toLowerCase()}|${r.completedAt!.getTime()}`),
    );
    const portalSubscriptions = current.map(({ view, quantity }): PortalSubscription => {
      const licence = view.skuId ? licenceOf.get(view.skuId.toLowerCase()) : undefined;
      const seats = licence ? { productName: licence.productName, purchased: licence.purchased, assigned: licence.assigned } : null;
      const readAt = new Date(view.readAt).getTime();
      const scheduleCalledOff = [...calledOff].some(
        (key) => key.startsWith(`${view.id.toLowerCase()}|`) && Number(key.split('|')[1]) > readAt,
      );
      const facts = { ...factsOf(view, quantity, licence?.productName), ...(scheduleCalledOff ? { scheduledQuantity: null } : {}) };
      return {
        facts,
        seats,
        rules: changeRules(facts, seats, now),
        term: termLabel(view),
        billingCycle: view.billingCycle,
        status: view.status,
        isTrial: view.isTrial,
      };
    });
    const readTimes = [...licences.map((l) => l.readAt), ...subscriptions.map((s) => s.readAt)].map((t) => new Date(t).getTime());
    return {
      licences: portalLicences,
      subscriptions: portalSubscriptions,
      readAt: readTimes.length ? new Date(Math.max(...readTimes)) : null,
    };
  }
}

function factsOf(view: SubscriptionView, quantity: number, productName: string | undefined): SubscriptionFacts {
  return {
    id: view.id,
    name: view.friendlyName?.trim() || view.offerName.trim() || productName || 'Subscription',
    quantity,
    state: subscriptionState(view.status),
    monthlyTerm: isMonthlyTerm(view),
    autoRenew: view.autoRenewEnabled,
    cancellationAllowedUntil: instant(view.cancellationAllowedUntilDate),
    commitmentEnd: instant(view.commitmentEndDate),
    // Partner Center's counts hold for the quantity it was read with, not after a change applied since.
    refundableQuantity: quantity === view.quantity ? (view.refundableQuantity ?? null) : null,
    scheduledQuantity: view.scheduledQuantity ?? null,
  };
}
