import type { RouteRegistrar } from '../http/route-hooks';
import type { Customer, ExternalSubscription, Sku, SubscribedSku, Subscription } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { graphCallerOf, graphGate, SCOPES } from './graph-auth';

// The licences of the directory named by the token's tid: a customer through GDAP, or the caller's own.
export function registerLicensingRoutes(router: RouteRegistrar, state: EmulatorState): void {
  // subscribedsku-list.md: only $select is supported, so there is no paging.
  router.get(
    '/v1.0/subscribedSkus',
    graphGate(state, { scopes: SCOPES.organizationRead, throttleGroup: 'subscribedSkus', directoryRead: true }),
    (_req, res) => {
      const customer = state.world.customer(graphCallerOf(res).tenantId);
      res.json({
        '@odata.context': `${state.baseUrl}/v1.0/$metadata#subscribedSkus`,
        value: customer
          ? customer.subscribedSkus.map((subscribed) => subscribedSkuResource(customer, subscribed, state.world.sku(subscribed.skuId)))
          : [],
      });
    },
  );

  // directory-list-subscriptions.md: companySubscription; commerceSubscriptionId is the Partner Center
  // subscription id for what partners sold.
  router.get(
    '/v1.0/directory/subscriptions',
    graphGate(state, { scopes: SCOPES.organizationRead, throttleGroup: 'directory', directoryRead: true }),
    (_req, res) => {
      const customer = state.world.customer(graphCallerOf(res).tenantId);
      const value = customer
        ? [
            ...customer.subscriptions
              .filter((subscription) => subscription.status !== 'deleted')
              .map((subscription) => partnerSubscription(subscription, state.world.sku(subscription.skuId))),
            ...customer.externalSubscriptions.map((subscription) =>
              externalSubscription(subscription, state.world.sku(subscription.skuId)),
            ),
          ]
        : [];
      res.json({ '@odata.context': `${state.baseUrl}/v1.0/$metadata#directory/subscriptions`, value });
    },
  );
}

function subscribedSkuResource(customer: Customer, subscribed: SubscribedSku, sku: Sku | undefined): Record<string, unknown> {
  const units = subscribed.prepaidUnits;
  const provisioned = subscribed.capabilityStatus === 'Enabled' || subscribed.capabilityStatus === 'Warning';
  return {
    accountName: customer.companyName,
    accountId: customer.id,
    appliesTo: 'User',
    capabilityStatus: subscribed.capabilityStatus,
    consumedUnits: subscribed.consumedUnits,
    id: `${customer.id}_${subscribed.skuId}`,
    prepaidUnits: { enabled: units.enabled, lockedOut: units.lockedOut, suspended: units.suspended, warning: units.warning },
    servicePlans: servicePlans(sku, provisioned),
    skuId: subscribed.skuId,
    skuPartNumber: sku?.skuPartNumber ?? 'UNKNOWN',
    subscriptionIds: [
      ...customer.subscriptions
        .filter((subscription) => subscription.skuId === subscribed.skuId && subscription.status !== 'deleted')
        .map((subscription) => subscription.directorySubscriptionId),
      ...customer.externalSubscriptions
        .filter((subscription) => subscription.skuId === subscribed.skuId)
        .map((subscription) => subscription.directorySubscriptionId),
    ],
  };
}

function servicePlans(sku: Sku | undefined, provisioned: boolean): Record<string, unknown>[] {
  return (sku?.servicePlans ?? []).map((plan) => ({
    servicePlanId: plan.id,
    servicePlanName: plan.serviceName,
    provisioningStatus: provisioned ? 'Success' : 'Disabled',
    appliesTo: plan.appliesTo,
  }));
}

// Microsoft 365 lifecycle: an expired subscription is in its grace period (Warning) before it is disabled.
const DIRECTORY_STATUS: Record<Subscription['status'], string> = {
  active: 'Enabled',
  pending: 'Enabled',
  expired: 'Warning',
  suspended: 'Suspended',
  disabled: 'LockedOut',
  deleted: 'Deleted',
};

function partnerSubscription(subscription: Subscription, sku: Sku | undefined): Record<string, unknown> {
  const status = DIRECTORY_STATUS[subscription.status];
  return {
    createdDateTime: subscription.creationDate,
    commerceSubscriptionId: subscription.commerceSubscriptionId,
    id: subscription.directorySubscriptionId,
    isTrial: subscription.isTrial,
    nextLifecycleDateTime: nextDay(subscription.commitmentEndDate),
    serviceStatus: servicePlans(sku, status === 'Enabled' || status === 'Warning'),
    skuId: subscription.skuId,
    skuPartNumber: sku?.skuPartNumber ?? 'UNKNOWN',
    status,
    totalLicenses: subscription.quantity,
    ownerId: subscription.partnerTenantId,
    ownerTenantId: subscription.partnerTenantId,
    ownerType: 'Company',
  };
}

function externalSubscription(subscription: ExternalSubscription, sku: Sku | undefined): Record<string, unknown> {
  return {
    createdDateTime: subscription.createdDateTime,
    commerceSubscriptionId: subscription.commerceSubscriptionId,
    id: subscription.directorySubscriptionId,
    isTrial: subscription.isTrial,
    nextLifecycleDateTime: subscription.nextLifecycleDateTime,
    serviceStatus: servicePlans(sku, subscription.status === 'Enabled' || subscription.status === 'Warning'),
    skuId: subscription.skuId,
    skuPartNumber: sku?.skuPartNumber ?? 'UNKNOWN',
    status: subscription.status,
    totalLicenses: subscription.quantity,
    ownerId: null,
    // companysubscription.md: "the Microsoft partner tenant that created the subscription": none for a purchase
    // from Microsoft directly.
    ownerTenantId: subscription.ownerTenantId ?? null,
    ownerType: null,
  };
}

function nextDay(iso: string): string {
  return new Date(Date.parse(iso) + 24 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
