import {
  INTERACTIVE_RETRY,
  MicrosoftApiError,
  PartnerCenterClient,
  type AccessTokenSource,
  type MicrosoftClientOptions,
  type PartnerCenterSubscription,
} from '../../../../../libs/microsoft/src';
import type { MicrosoftSettings } from '../../../../config/app-config';
import { DomainError } from '../../../../shared/domain/domain-error';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { type MicrosoftAccessTokens } from '../../../consent';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import {
  SubscriptionChanges,
  type QuantityChange,
  type QuantityChangeOutcome,
  type ScheduleOutcome,
  type SubscriptionCommerceState,
} from '../../contracts/subscription-changes';
import { customerReadFailure, quantityChangeFailure, type CustomerRead } from './microsoft-error.mapper';
import { toSubscriptionCommerceState } from './subscription.mapper';
import { count, text } from './wire-value.mapper';

const READ_SUBSCRIPTION = {
  service: 'partner-center',
  what: "read this customer's subscription",
  forbidden: "Partner Center refused to read this customer's subscriptions",
  forbiddenFix: 'The Partner Center account needs the Admin Agent role, and your organization must be the reseller of record.',
} satisfies CustomerRead;

const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;
const day = (iso: string) =>
  `${new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })} UTC`;

// SubscriptionChanges over libs/microsoft. The subscription is read first (the change must start from the quantity
// it was asked from), then PATCHed by the client, which de-duplicates its own resends by MS-RequestId. An answer
// with an unknown effect is settled by reading the subscription again: applied when it shows the new quantity,
// failed when it still shows the old one, unknown otherwise.
export class SubscriptionChangesAdapter extends SubscriptionChanges {
  private readonly partnerCenter: PartnerCenterClient;

  constructor(
    config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl'> },
    private readonly tokens: MicrosoftAccessTokens,
    http: Pick<MicrosoftClientOptions, 'retry' | 'sleep' | 'timeoutMs' | 'concurrency'> = {},
  ) {
    super();
    // A partner admin waits for the answer on the approval page: short retries.
    this.partnerCenter = new PartnerCenterClient({
      baseUrl: config.microsoft.partnerCenterBaseUrl,
      applicationName: 'Sync 365',
      timeoutMs: 20_000,
      retry: INTERACTIVE_RETRY,
      ...http,
    });
  }

  async changeQuantity(change: QuantityChange): Promise<QuantityChangeOutcome> {
    const token: AccessTokenSource = () => this.tokens.forPartnerCenter(change.organizationId, change.delegatedAdminId);
    let before: PartnerCenterSubscription | null;
    try {
      before = await this.find(token, change.customerTenantId, change.subscriptionId);
    } catch (error) {
      // Nothing was sent yet: whatever stopped the read left the subscription as it was.
      return nothingSent(error);
    }
    if (!before)
      return { outcome: 'refused', reason: 'Partner Center no longer lists this subscription for the customer, so nothing was changed.' };
    const current = count(before.quantity);
    if (current === change.to) return { outcome: 'applied', quantity: current, detail: `Partner Center already shows ${seats(current)}.` };
    if (current !== change.from) {
      return {
        outcome: 'refused',
        reason: `The subscription changed since the request: Partner Center shows ${seats(current)}, not ${change.from}. Nothing was changed.`,
      };
    }

    // New commerce (FACTS §7a.4): an immediate change deletes every change scheduled for renewal, so Sync 365 never
    // sends one over a scheduled change; and a decrease beyond refundableQuantity is refused by Partner Center.
    const rules = toSubscriptionCommerceState(before);
    if (rules.scheduledQuantity !== null) {
      return {
        outcome: 'refused',
        reason: `Partner Center has a change scheduled for this subscription's renewal${rules.renewsOn ? ` on ${day(rules.renewsOn)}` : ''} (${seats(rules.scheduledQuantity)}). Changing the seats now would delete that scheduled change, so nothing was changed. Remove or call off the scheduled change first, then change the seats.`,
      };
    }
    if (change.to < current && rules.refundableQuantity !== null && current - change.to > rules.refundableQuantity) {
      return { outcome: 'refused', reason: `${outsideWindow(current - change.to, rules)} Nothing was changed.` };
    }

    try {
      const result = await this.partnerCenter.updateSubscriptionQuantity(token, change.customerTenantId, change.subscriptionId, change.to);
      if (result.state === 'updated' && count(result.subscription.quantity) === change.to) {
        return {
          outcome: 'applied',
          quantity: change.to,
          detail: `Partner Center changed the subscription from ${change.from} to ${seats(change.to)}.`,
        };
      }
      // 202 Accepted (FACTS §7a.5): Partner Center makes the change later; it is pending until the subscription
      // reads back changed, never failed because the first re-read still shows the old quantity.
      if (result.state === 'accepted') {
        return {
          outcome: 'pending',
          reason: `Partner Center accepted the change from ${change.from} to ${seats(change.to)} and is still making it. Sync 365 reads the subscription again until it shows the new quantity.`,
        };
      }
      // Answered with another quantity: what Partner Center holds now decides.
      return this.settle(token, change, 'Partner Center took the change without confirming it.');
    } catch (error) {
      if (!(error instanceof MicrosoftApiError)) return nothingSent(error);
      const failure = quantityChangeFailure(error);
      if (failure.kind === 'refused') return { outcome: 'refused', reason: failure.reason };
      if (failure.kind === 'not-applied') return { outcome: 'failed', reason: failure.reason };
      return this.settle(token, change, failure.detail);
    }
  }

  async currentQuantity(
    organizationId: string,
    delegatedAdminId: string,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<number | null> {
    try {
      const subscription = await this.find(
        () => this.tokens.forPartnerCenter(organizationId, delegatedAdminId),
        customerTenantId,
        subscriptionId,
      );
      return subscription ? count(subscription.quantity) : null;
    } catch (error) {
      throw customerReadFailure(error, READ_SUBSCRIPTION);
    }
  }

  async subscriptionState(
    organizationId: string,
    delegatedAdminId: string,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<SubscriptionCommerceState | null> {
    try {
      const subscription = await this.find(
        () => this.tokens.forPartnerCenter(organizationId, delegatedAdminId),
        customerTenantId,
        subscriptionId,
      );
      return subscription ? toSubscriptionCommerceState(subscription) : null;
    } catch (error) {
      throw customerReadFailure(error, READ_SUBSCRIPTION);
    }
  }

  // create-scheduled-changes.md: 1. get the subscription, 2. its transition eligibilities of type scheduled,
  // 3. scheduledNextTermInstructions {product {productId, skuId, availabilityId, billingCycle, termDuration},
  // quantity} on the subscription, 4. PATCH. The product stays the subscription's own (only the quantity changes).
  async scheduleQuantityAtRenewal(change: QuantityChange): Promise<ScheduleOutcome> {
    const token: AccessTokenSource = () => this.tokens.forPartnerCenter(change.organizationId, change.delegatedAdminId);
    let before: PartnerCenterSubscription | null;
    try {
      before = await this.find(token, change.customerTenantId, change.subscriptionId);
    } catch (error) {
      return asSchedule(nothingSent(error));
    }
    if (!before)
      return { outcome: 'refused', reason: 'Partner Center no longer lists this subscription for the customer, so nothing was scheduled.' };
    const rules = toSubscriptionCommerceState(before);
    if (rules.quantity !== change.from) {
      return {
        outcome: 'refused',
        reason: `The subscription changed since the request: Partner Center shows ${seats(rules.quantity)}, not ${change.from}. Nothing was scheduled.`,
      };
    }
    if (rules.scheduledQuantity === change.to)
      return {
        outcome: 'scheduled',
        quantity: change.to,
        renewsOn: rules.renewsOn,
        detail: `Partner Center already has ${seats(change.to)} scheduled for the renewal.`,
      };
    if (!rules.autoRenewEnabled)
      return {
        outcome: 'refused',
        reason:
          'The subscription does not renew automatically, so Partner Center cannot schedule a change for its renewal. Nothing was scheduled.',
      };

    try {
      const eligibilities = await this.partnerCenter
        .listTransitionEligibilities(token, change.customerTenantId, change.subscriptionId, 'scheduled')
        .all();
      const own = text(before.offerId)?.toLowerCase();
      const item = eligibilities.find((candidate) => text(candidate.catalogItemId)?.toLowerCase() === own);
      const eligible = item?.eligibilities?.some((entry) => entry.isEligible === true);
      if (!item || !eligible) {
        const said = (item?.eligibilities ?? [])
          .flatMap((entry) => entry.errors ?? [])
          .map((e) => text(e.description))
          .filter(Boolean);
        return {
          outcome: 'refused',
          reason: `Partner Center does not allow a change at renewal for this subscription${said.length ? `: “${said.join(' ')}”` : '.'} Nothing was scheduled.`,
        };
      }
      const [productId, skuId, availabilityId] = String(item.catalogItemId).split(':');
      const result = await this.partnerCenter.scheduleNextTermChange(token, change.customerTenantId, change.subscriptionId, {
        product: {
          productId,
          skuId,
          availabilityId,
          billingCycle: text(before.billingCycle) ?? 'monthly',
          termDuration: text(before.renewalTermDuration) ?? text(before.termDuration) ?? 'P1Y',
        },
        quantity: change.to,
      });
      const after =
        result.state === 'updated'
          ? toSubscriptionCommerceState(result.subscription)
          : await this.subscriptionState(change.organizationId, change.delegatedAdminId, change.customerTenantId, change.subscriptionId);
      if (after?.scheduledQuantity === change.to) {
        return {
          outcome: 'scheduled',
          quantity: change.to,
          renewsOn: after.renewsOn,
          detail: `Partner Center will change the subscription from ${change.from} to ${seats(change.to)} when it renews${after.renewsOn ? ` on ${day(after.renewsOn)}` : ''}.`,
        };
      }
      return { outcome: 'unknown', reason: 'Partner Center took the scheduled change without showing it on the subscription.' };
    } catch (error) {
      if (!(error instanceof MicrosoftApiError)) return asSchedule(nothingSent(error));
      const failure = quantityChangeFailure(error);
      if (failure.kind === 'refused') return { outcome: 'refused', reason: failure.reason.replace('the change', 'the scheduled change') };
      if (failure.kind === 'not-applied') return { outcome: 'failed', reason: failure.reason };
      return { outcome: 'unknown', reason: `${failure.detail} Whether the change was scheduled is not known yet.` };
    }
  }

  async cancelScheduledQuantity(change: QuantityChange): Promise<ScheduleOutcome | { outcome: 'cancelled'; detail: string }> {
    const token: AccessTokenSource = () => this.tokens.forPartnerCenter(change.organizationId, change.delegatedAdminId);
    try {
      const before = await this.find(token, change.customerTenantId, change.subscriptionId);
      const rules = before ? toSubscriptionCommerceState(before) : null;
      if (!rules || rules.scheduledQuantity === null)
        return { outcome: 'cancelled', detail: 'Partner Center has no change scheduled for this subscription any more.' };
      if (rules.scheduledQuantity !== change.to) {
        // Scheduled outside this request (in Partner Center itself): not this request's to remove.
        return {
          outcome: 'cancelled',
          detail: `Partner Center holds another scheduled change (${seats(rules.scheduledQuantity)}), made outside this request; it was left as it is.`,
        };
      }
      await this.partnerCenter.scheduleNextTermChange(token, change.customerTenantId, change.subscriptionId, null);
      return { outcome: 'cancelled', detail: 'The change scheduled in Partner Center was removed.' };
    } catch (error) {
      if (!(error instanceof MicrosoftApiError)) return asSchedule(nothingSent(error));
      const failure = quantityChangeFailure(error);
      if (failure.kind === 'unknown-effect')
        return { outcome: 'unknown', reason: `${failure.detail} Whether the scheduled change was removed is not known yet.` };
      return { outcome: failure.kind === 'refused' ? 'refused' : 'failed', reason: failure.reason };
    }
  }

  private async settle(token: AccessTokenSource, change: QuantityChange, detail: string): Promise<QuantityChangeOutcome> {
    let after: PartnerCenterSubscription | null;
    try {
      after = await this.find(token, change.customerTenantId, change.subscriptionId);
    } catch {
      return {
        outcome: 'unknown',
        reason: `${detail} Reading the subscription again failed too, so whether the change was made is not known yet.`,
      };
    }
    const quantity = after ? count(after.quantity) : null;
    if (quantity === change.to)
      return {
        outcome: 'applied',
        quantity,
        detail: `${detail} Read again, Partner Center shows the change was made: ${seats(quantity)}.`,
      };
    if (quantity === change.from)
      return { outcome: 'failed', reason: `${detail} Read again, the subscription is unchanged at ${seats(quantity)}.` };
    return {
      outcome: 'unknown',
      reason: `${detail} Read again, Partner Center shows ${quantity === null ? 'no such subscription' : seats(quantity)}, so the outcome is not clear.`,
    };
  }

  // Partner Center's client has no single-subscription GET; a customer has a handful of subscriptions.
  private async find(
    token: AccessTokenSource,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<PartnerCenterSubscription | null> {
    const wanted = subscriptionId.toLowerCase();
    const all = await this.partnerCenter.listSubscriptions(token, customerTenantId).all();
    return all.find((subscription) => text(subscription.id)?.toLowerCase() === wanted) ?? null;
  }
}

function asSchedule(outcome: QuantityChangeOutcome): ScheduleOutcome {
  if (outcome.outcome === 'refused' || outcome.outcome === 'failed' || outcome.outcome === 'unknown')
    return { outcome: outcome.outcome, reason: outcome.reason.replace('Nothing was changed.', 'Nothing was scheduled.') };
  return { outcome: 'unknown', reason: 'Sync 365 could not tell what Partner Center did.' };
}

// A decrease beyond refundableQuantity, in plain words with the way out (a change at renewal).
function outsideWindow(decrease: number, rules: SubscriptionCommerceState): string {
  const now = rules.refundableQuantity ?? 0;
  const reducible =
    now === 0
      ? 'No seat of this subscription can be removed now'
      : `Only ${seats(now)} of this subscription can be removed now${rules.refundableUntil ? ` (until ${day(rules.refundableUntil)})` : ''}, not ${decrease}`;
  const renewal = rules.renewsOn ? ` Remove them at renewal on ${day(rules.renewsOn)} instead.` : ' Remove them at renewal instead.';
  return `${reducible}: Microsoft lets seats be reduced only within 7 days of being added (purchase, renewal or mid-term addition).${renewal}`;
}

// A failure before the PATCH left: the consent's own errors (re-grant consent) and Partner Center refusing or
// failing the read. Nothing changed in any case.
function nothingSent(error: unknown): QuantityChangeOutcome {
  const failure = customerReadFailure(error, READ_SUBSCRIPTION);
  if (failure instanceof MicrosoftUnavailableError) return { outcome: 'failed', reason: `${failure.message} Nothing was changed.` };
  if (failure instanceof DomainError) return { outcome: 'refused', reason: [failure.message, failure.fix].filter(Boolean).join(' ') };
  if (failure instanceof CustomerReadRefusedError) return { outcome: 'refused', reason: `${failure.reason} Nothing was changed.` };
  throw failure;
}
