import express from 'express';
import type { RouteRegistrar } from '../http/route-hooks';
import type { Subscription } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { changeQuantity } from '../state/subscription-changes';
import { FAULTS, sendApiFault } from './api-fault';
import { customerOfCaller } from './customers.routes';
import { callerOf, gdapGrantsRole, partnerCenterGate } from './partner-center-auth';
import { LICENCE_READ_ROLES } from '../scenario/sku-catalog';
import { collection, subscribedSkuResource, subscriptionResource } from './resources';

// Microsoft's per-subscription seat ceiling for most Microsoft 365 offers.
const MAX_QUANTITY = 300_000;

export function registerSubscriptionRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const subscriptionsGate = partnerCenterGate(state, { throttleGroup: 'subscriptions', requiresAdminAgent: true, allowsIndirectReseller: false });
  const licencesGate = partnerCenterGate(state, { throttleGroup: 'subscribedskus', requiresAdminAgent: true, allowsIndirectReseller: false });

  // Only the subscriptions the calling partner sold; another partner's subscriptions in the same tenant
  // stay invisible.
  router.get('/v1/customers/:customerId/subscriptions', subscriptionsGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    const items = customer.subscriptions
      .filter((subscription) => subscription.partnerTenantId === caller.partner.id)
      .map((subscription) => subscriptionResource(customer, subscription, state.world.sku(subscription.skuId), state.now()));
    res.json(collection(items));
  });

  router.get('/v1/customers/:customerId/subscriptions/:subscriptionId', subscriptionsGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    const subscription = findSubscription(customer.subscriptions, String(req.params.subscriptionId), caller.partner.id);
    if (!subscription) return sendApiFault(req, res, FAULTS.subscriptionNotFound);
    res.json(subscriptionResource(customer, subscription, state.world.sku(subscription.skuId), state.now()));
  });

  // change-the-quantity-of-a-subscription.md: PATCH with the subscription (or just its quantity).
  router.patch('/v1/customers/:customerId/subscriptions/:subscriptionId', express.json({ type: () => true }), subscriptionsGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    const subscription = findSubscription(customer.subscriptions, String(req.params.subscriptionId), caller.partner.id);
    if (!subscription) return sendApiFault(req, res, FAULTS.subscriptionNotFound);
    const quantity = (req.body as { quantity?: unknown } | undefined)?.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
      return sendApiFault(req, res, FAULTS.invalidInput('"quantity" must be an integer.'));
    }
    if (quantity < 1 || quantity > MAX_QUANTITY) return sendApiFault(req, res, FAULTS.quantityOutOfRange);
    if (subscription.status === 'suspended') return sendApiFault(req, res, FAULTS.subscriptionSuspended);
    if (subscription.status !== 'active') return sendApiFault(req, res, FAULTS.subscriptionNotActive);
    if (quantity < subscription.quantity && subscription.termDuration !== 'P1M' && state.now() > Date.parse(subscription.cancellationAllowedUntilDate)) {
      return sendApiFault(req, res, FAULTS.decreaseOutsideCancellationWindow(subscription.id, subscription.cancellationAllowedUntilDate));
    }
    if (quantity !== subscription.quantity) {
      changeQuantity(customer, subscription, quantity);
      state.scenarioChanged();
    }
    res.json(subscriptionResource(customer, subscription, state.world.sku(subscription.skuId), state.now()));
  });

  // get-a-list-of-available-licenses.md: every licence in the customer's directory (group1 = Entra),
  // whoever sold it.
  // Unlike /subscriptions (commerce data the reseller always sees), licences live in the customer's directory:
  // Partner Center lists them only for a partner user with a licence-reading GDAP role in that customer.
  router.get('/v1/customers/:customerId/subscribedskus', licencesGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    if (!gdapGrantsRole(state, caller.user, caller.partner.id, customer.id, LICENCE_READ_ROLES)) return sendApiFault(req, res, FAULTS.noLicenceReadingGdapRole(customer.id));
    res.json(collection(customer.subscribedSkus.map((subscribed) => subscribedSkuResource(subscribed, state.world.sku(subscribed.skuId)))));
  });
}

function findSubscription(subscriptions: Subscription[], id: string, partnerTenantId: string): Subscription | undefined {
  const wanted = id.toLowerCase();
  return subscriptions.find((subscription) => subscription.id.toLowerCase() === wanted && subscription.partnerTenantId === partnerTenantId);
}
