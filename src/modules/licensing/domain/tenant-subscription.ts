import type { SubscriptionSnapshot } from '../../../shared/domain/licence-readings';
import { instant, sameInstant } from './instants';

// A Partner Center subscription of a customer tenant, with every field the import reads. Dates are instants
// (compared by value, so a re-read that spells the same instant differently changes nothing).
export class TenantSubscription {
  id: string;
  organizationId: string;
  tenantId: string;
  // Partner Center's subscription id, kept as sent: Sync 365 sends it back to Partner Center.
  subscriptionId: string;
  offerId: string;
  offerName: string;
  friendlyName: string | null;
  quantity: number;
  unitType: string | null;
  termDuration: string | null;
  billingCycle: string;
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  creationDate: Date | null;
  effectiveStartDate: Date | null;
  commitmentEndDate: Date | null;
  cancellationAllowedUntilDate: Date | null;
  // New commerce (FACTS §7a.4): seats reducible now and until when, and the quantity scheduled for renewal; null
  // when Partner Center does not say.
  refundableQuantity: number | null;
  refundableUntil: Date | null;
  scheduledQuantity: number | null;
  // Partner Center's catalogue SKU (links.sku) and its title there, the name Microsoft gives the product.
  catalogueProductId: string | null;
  catalogueSkuId: string | null;
  catalogueName: string | null;
  changedAt: Date;

  static fromSnapshot(input: {
    id: string;
    organizationId: string;
    tenantId: string;
    subscription: SubscriptionSnapshot;
    at: Date;
  }): TenantSubscription {
    const subscription = new TenantSubscription();
    subscription.id = input.id;
    subscription.organizationId = input.organizationId;
    subscription.subscriptionId = input.subscription.id;
    subscription.assign(input.tenantId, input.subscription, input.at);
    return subscription;
  }

  // Takes what Partner Center says now (for this tenant). Returns false, and changes nothing, when nothing differs.
  apply(tenantId: string, subscription: SubscriptionSnapshot, at: Date): boolean {
    if (this.tenantId === tenantId && this.sameAs(subscription) && this.sameCatalogue(subscription)) return false;
    this.assign(tenantId, subscription, at);
    return true;
  }

  sameAs(subscription: SubscriptionSnapshot): boolean {
    const next = values(subscription);
    return (
      this.offerId === next.offerId &&
      this.offerName === next.offerName &&
      this.friendlyName === next.friendlyName &&
      this.quantity === next.quantity &&
      this.unitType === next.unitType &&
      this.termDuration === next.termDuration &&
      this.billingCycle === next.billingCycle &&
      this.status === next.status &&
      this.autoRenewEnabled === next.autoRenewEnabled &&
      this.isTrial === next.isTrial &&
      sameInstant(this.creationDate, next.creationDate) &&
      sameInstant(this.effectiveStartDate, next.effectiveStartDate) &&
      sameInstant(this.commitmentEndDate, next.commitmentEndDate) &&
      sameInstant(this.cancellationAllowedUntilDate, next.cancellationAllowedUntilDate) &&
      this.refundableQuantity === next.refundableQuantity &&
      sameInstant(this.refundableUntil, next.refundableUntil) &&
      this.scheduledQuantity === next.scheduledQuantity
    );
  }

  private sameCatalogue(subscription: SubscriptionSnapshot): boolean {
    const next = this.catalogue(subscription);
    return (
      (this.catalogueProductId ?? null) === next.catalogueProductId &&
      (this.catalogueSkuId ?? null) === next.catalogueSkuId &&
      (this.catalogueName ?? null) === next.catalogueName
    );
  }

  // A read that could not ask the catalogue this time (null name, same SKU) keeps the name known from before.
  private catalogue(subscription: SubscriptionSnapshot) {
    const productId = subscription.catalogueProductId?.trim() || null;
    const skuId = subscription.catalogueSkuId?.trim() || null;
    const sameSku = productId === (this.catalogueProductId ?? null) && skuId === (this.catalogueSkuId ?? null);
    const name = subscription.catalogueName?.trim() || (sameSku ? (this.catalogueName ?? null) : null);
    return { catalogueProductId: productId, catalogueSkuId: skuId, catalogueName: name };
  }

  private assign(tenantId: string, subscription: SubscriptionSnapshot, at: Date): void {
    this.tenantId = tenantId;
    const catalogue = this.catalogue(subscription);
    Object.assign(this, values(subscription));
    Object.assign(this, catalogue);
    this.changedAt = at;
  }
}

function values(subscription: SubscriptionSnapshot) {
  return {
    offerId: subscription.offerId,
    offerName: subscription.offerName,
    friendlyName: subscription.friendlyName,
    quantity: subscription.quantity,
    unitType: subscription.unitType,
    termDuration: subscription.termDuration,
    billingCycle: subscription.billingCycle,
    status: subscription.status,
    autoRenewEnabled: subscription.autoRenewEnabled,
    isTrial: subscription.isTrial,
    creationDate: instant(subscription.creationDate),
    effectiveStartDate: instant(subscription.effectiveStartDate),
    commitmentEndDate: instant(subscription.commitmentEndDate),
    cancellationAllowedUntilDate: instant(subscription.cancellationAllowedUntilDate),
    refundableQuantity: subscription.refundableQuantity ?? null,
    refundableUntil: instant(subscription.refundableUntil ?? null),
    scheduledQuantity: subscription.scheduledQuantity ?? null,
  };
}
