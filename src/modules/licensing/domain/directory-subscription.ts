import type { DirectorySubscriptionSnapshot } from '../../../shared/domain/licence-readings';
import { instant, sameInstant } from './instants';
import { skuKey } from './tenant-licence';

// A subscription in a customer tenant's own directory (Graph companySubscription), whoever sold it: the partner
// (its commerceSubscriptionId is one of the partner's Partner Center subscription ids) or someone else.
// `changedAt` moves only when what Graph says about it changes.
export class DirectorySubscription {
  id: string;
  organizationId: string;
  tenantId: string;
  // Graph's id of the subscription in the directory (lower case).
  directorySubscriptionId: string;
  // Kept as Graph sent it; compared without regard to case (idKey).
  commerceSubscriptionId: string | null;
  skuId: string;
  skuPartNumber: string;
  status: string;
  totalLicenses: number;
  isTrial: boolean;
  createdDateTime: Date | null;
  nextLifecycleDateTime: Date | null;
  // Graph's ownerTenantId (lower case), and whether it is the partner's own tenant: who sold it (null: not said).
  ownerTenantId: string | null;
  soldByYou: boolean | null;
  changedAt: Date;

  static fromSnapshot(input: {
    id: string;
    organizationId: string;
    tenantId: string;
    subscription: DirectorySubscriptionSnapshot;
    at: Date;
  }): DirectorySubscription {
    const subscription = new DirectorySubscription();
    subscription.id = input.id;
    subscription.organizationId = input.organizationId;
    subscription.tenantId = input.tenantId;
    subscription.directorySubscriptionId = idKey(input.subscription.id);
    subscription.assign(input.subscription, input.at);
    return subscription;
  }

  // Takes what Graph says now. Returns false, and changes nothing, when nothing differs.
  apply(subscription: DirectorySubscriptionSnapshot, at: Date): boolean {
    if (this.sameAs(subscription)) return false;
    this.assign(subscription, at);
    return true;
  }

  sameAs(subscription: DirectorySubscriptionSnapshot): boolean {
    const next = values(subscription);
    return (
      this.commerceSubscriptionId === next.commerceSubscriptionId &&
      this.skuId === next.skuId &&
      this.skuPartNumber === next.skuPartNumber &&
      this.status === next.status &&
      this.totalLicenses === next.totalLicenses &&
      this.isTrial === next.isTrial &&
      sameInstant(this.createdDateTime, next.createdDateTime) &&
      sameInstant(this.nextLifecycleDateTime, next.nextLifecycleDateTime) &&
      (this.ownerTenantId ?? null) === next.ownerTenantId &&
      (this.soldByYou ?? null) === next.soldByYou
    );
  }

  private assign(subscription: DirectorySubscriptionSnapshot, at: Date): void {
    Object.assign(this, values(subscription));
    this.changedAt = at;
  }
}

// Partner Center and Graph spell the same id in different cases: ids are compared in lower case.
export function idKey(id: string): string {
  return id.trim().toLowerCase();
}

function values(subscription: DirectorySubscriptionSnapshot) {
  return {
    commerceSubscriptionId: subscription.commerceSubscriptionId?.trim() || null,
    skuId: skuKey(subscription.skuId),
    skuPartNumber: subscription.skuPartNumber.trim(),
    status: subscription.status,
    totalLicenses: subscription.totalLicenses,
    isTrial: subscription.isTrial,
    createdDateTime: instant(subscription.createdDateTime),
    nextLifecycleDateTime: instant(subscription.nextLifecycleDateTime),
    ownerTenantId: subscription.ownerTenantId?.trim().toLowerCase() || null,
    soldByYou: subscription.soldByYou ?? null,
  };
}
