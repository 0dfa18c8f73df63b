import express from 'express';
import type { RouteRegistrar } from '../http/route-hooks';
import type { ScheduledNextTermInstructions, Sku, Subscription } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { changeQuantityNow, PENDING_CHANGE_MS, refundableQuantityOf, scheduleNextTerm } from '../state/subscription-changes';
import { applyPartnerCenterHeaders, FAULTS, sendApiFault } from './api-fault';
import { customerOfCaller } from './customers.routes';
import { callerOf, gdapGrantsRole, partnerCenterGate } from './partner-center-auth';
import { LICENCE_READ_ROLES } from '../scenario/sku-catalog';
import { collection, subscribedSkuResource, subscriptionResource, transitionEligibilityResource } from './resources';

// Microsoft's per-subscription seat ceiling for most Microsoft 365 offers.
const MAX_QUANTITY = 300_000;

export function registerSubscriptionRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const subscriptionsGate = partnerCenterGate(state, {
    throttleGroup: 'subscriptions',
    requiresAdminAgent: true,
    allowsIndirectReseller: false,
  });
  const licencesGate = partnerCenterGate(state, {
    throttleGroup: 'subscribedskus',
    requiresAdminAgent: true,
    allowsIndirectReseller: false,
  });

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

  // change-the-quantity-of-a-subscription.md / create-scheduled-changes.md: PATCH with the subscription. A new
  // quantity is an immediate (mid-term) change; the same quantity with scheduledNextTermInstructions schedules a
  // change for renewal (or removes it, with null).
  router.patch(
    '/v1/customers/:customerId/subscriptions/:subscriptionId',
    express.json({ type: () => true }),
    subscriptionsGate,
    (req, res) => {
      const caller = callerOf(res);
      const customer = customerOfCaller(state, req, res, caller);
      if (!customer) return;
      const subscription = findSubscription(customer.subscriptions, String(req.params.subscriptionId), caller.partner.id);
      if (!subscription) return sendApiFault(req, res, FAULTS.subscriptionNotFound);
      const body = (req.body ?? {}) as { quantity?: unknown; scheduledNextTermInstructions?: unknown };
      const quantity = body.quantity ?? subscription.quantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
        return sendApiFault(req, res, FAULTS.invalidInput('"quantity" must be an integer.'));
      }
      if (quantity < 1 || quantity > MAX_QUANTITY) return sendApiFault(req, res, FAULTS.quantityOutOfRange);
      if (subscription.status === 'suspended') return sendApiFault(req, res, FAULTS.subscriptionSuspended);
      if (subscription.status !== 'active') return sendApiFault(req, res, FAULTS.subscriptionNotActive);
      const now = state.now();
      const resource = () => subscriptionResource(customer, subscription, state.world.sku(subscription.skuId), now);

      if (quantity === subscription.quantity) {
        if (
          'scheduledNextTermInstructions' in body &&
          !sameInstructions(body.scheduledNextTermInstructions, subscription.scheduledNextTermInstructions ?? null)
        ) {
          const parsed = parseInstructions(body.scheduledNextTermInstructions, subscription, state.world.sku(subscription.skuId));
          if (typeof parsed === 'string') return sendApiFault(req, res, FAULTS.invalidInput(parsed));
          if (parsed && !subscription.autoRenewEnabled) return sendApiFault(req, res, FAULTS.scheduleNeedsAutoRenew);
          scheduleNextTerm(subscription, parsed);
          state.scenarioChanged();
        }
        return res.json(resource());
      }

      if (subscription.pendingChange) return sendApiFault(req, res, FAULTS.pendingChange);
      if (quantity < subscription.quantity) {
        const refundable = refundableQuantityOf(subscription, now).totalQuantity;
        if (subscription.quantity - quantity > refundable) {
          return sendApiFault(req, res, FAULTS.decreaseBeyondRefundable(subscription.id, subscription.quantity - quantity, refundable));
        }
      }
      if (subscription.acceptsChangesLater) {
        // 202 Accepted: made later ("query the subscription periodically"). Location is assumed to be the
        // subscription itself; Microsoft does not document what it points to.
        subscription.pendingChange = { quantity, completesAt: new Date(now + PENDING_CHANGE_MS).toISOString() };
        state.scenarioChanged();
        applyPartnerCenterHeaders(req, res);
        return res.status(202).set('Location', `/v1/customers/${customer.id}/subscriptions/${subscription.id}`).end();
      }
      changeQuantityNow(customer, subscription, quantity, now);
      state.scenarioChanged();
      res.json(resource());
    },
  );

  // get-subscription-transitions.md: GET …/transitionEligibilities?eligibilityType=immediate|scheduled (default
  // immediate).
  router.get('/v1/customers/:customerId/subscriptions/:subscriptionId/transitionEligibilities', subscriptionsGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    const subscription = findSubscription(customer.subscriptions, String(req.params.subscriptionId), caller.partner.id);
    if (!subscription) return sendApiFault(req, res, FAULTS.subscriptionNotFound);
    const type = String(req.query.eligibilityType ?? 'immediate').toLowerCase();
    if (type !== 'immediate' && type !== 'scheduled')
      return sendApiFault(req, res, FAULTS.invalidInput('"eligibilityType" must be immediate or scheduled.'));
    res.json(collection(type === 'scheduled' ? [transitionEligibilityResource(subscription, state.world.sku(subscription.skuId))] : []));
  });

  // get-a-list-of-available-licenses.md: every licence in the customer's directory (group1 = Entra),
  // whoever sold it.
  // Unlike /subscriptions (commerce data the reseller always sees), licences live in the customer's directory:
  // Partner Center lists them only for a partner user with a licence-reading GDAP role in that customer.
  router.get('/v1/customers/:customerId/subscribedskus', licencesGate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (!customer) return;
    if (!gdapGrantsRole(state, caller.user, caller.partner.id, customer.id, LICENCE_READ_ROLES))
      return sendApiFault(req, res, FAULTS.noLicenceReadingGdapRole(customer.id));
    res.json(collection(customer.subscribedSkus.map((subscribed) => subscribedSkuResource(subscribed, state.world.sku(subscribed.skuId)))));
  });
}

function findSubscription(subscriptions: Subscription[], id: string, partnerTenantId: string): Subscription | undefined {
  const wanted = id.toLowerCase();
  return subscriptions.find((subscription) => subscription.id.toLowerCase() === wanted && subscription.partnerTenantId === partnerTenantId);
}

const TERMS = ['P1M', 'P1Y', 'P3Y'];
const BILLING_CYCLES = ['monthly', 'annual', 'triennial'];
// New-commerce offers bill a term only so: a month monthly; a year monthly or annually; three years monthly,
// annually or triennially (Learn, new commerce license-based offers). Any other pair is not in the catalogue.
const BILLING_CYCLES_OF_TERM: Record<string, string[]> = {
  P1M: ['monthly'],
  P1Y: ['monthly', 'annual'],
  P3Y: ['monthly', 'annual', 'triennial'],
};

// scheduledNextTermInstructions {product{productId, skuId, availabilityId, billingCycle, termDuration}, quantity}
// (create-scheduled-changes.md). Only the subscription's own product is eligible in the emulator (see
// transitionEligibilityResource). Returns the instructions, null to remove them, or what is wrong.
function parseInstructions(
  value: unknown,
  subscription: Subscription,
  sku: Sku | undefined,
): ScheduledNextTermInstructions | null | string {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return '"scheduledNextTermInstructions" must be an object or null.';
  const { product, quantity } = value as { product?: Record<string, unknown>; quantity?: unknown };
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    return `"scheduledNextTermInstructions.quantity" must be an integer from 1 to ${MAX_QUANTITY}.`;
  }
  if (!product || typeof product !== 'object') return '"scheduledNextTermInstructions.product" is required.';
  const text = (name: string) => (typeof product[name] === 'string' ? (product[name] as string) : '');
  const [productId, skuId, availabilityId] = subscription.offerId.split(':');
  if (
    text('productId').toUpperCase() !== (sku?.productId ?? productId).toUpperCase() ||
    text('skuId') !== (sku?.skuCode ?? skuId) ||
    text('availabilityId').toUpperCase() !== (sku?.availabilityId ?? availabilityId).toUpperCase()
  ) {
    return 'The product of "scheduledNextTermInstructions" is not eligible for this subscription (see transitionEligibilities?eligibilityType=scheduled).';
  }
  const termDuration = text('termDuration').toUpperCase();
  const billingCycle = text('billingCycle').toLowerCase();
  if (!TERMS.includes(termDuration)) return `"scheduledNextTermInstructions.product.termDuration" must be one of ${TERMS.join(', ')}.`;
  if (!BILLING_CYCLES.includes(billingCycle))
    return `"scheduledNextTermInstructions.product.billingCycle" must be one of ${BILLING_CYCLES.join(', ')}.`;
  if (!BILLING_CYCLES_OF_TERM[termDuration].includes(billingCycle))
    return `The product of "scheduledNextTermInstructions" is not offered with a ${termDuration} term billed ${billingCycle}.`;
  return {
    product: {
      productId: text('productId'),
      skuId: text('skuId'),
      availabilityId: text('availabilityId'),
      billingCycle: text('billingCycle'),
      termDuration,
    },
    quantity,
  };
}

function sameInstructions(a: unknown, b: ScheduledNextTermInstructions | null): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b);
}
