import { INTERACTIVE_RETRY, MicrosoftApiError, PartnerCenterClient, type AccessTokenSource, type MicrosoftClientOptions, type PartnerCenterSubscription } from '../../../../../libs/microsoft/src';
import type { MicrosoftSettings } from '../../../../config/app-config';
import { DomainError } from '../../../../shared/domain/domain-error';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { MicrosoftAccessTokens } from '../../../consent';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import { SubscriptionChanges, type QuantityChange, type QuantityChangeOutcome } from '../../contracts/subscription-changes';
import { customerReadFailure, quantityChangeFailure, type CustomerRead } from './microsoft-error.mapper';
import { count, text } from './wire-value.mapper';

const READ_SUBSCRIPTION = {
  service: 'partner-center',
  what: "read this customer's subscription",
  forbidden: "Partner Center refused to read this customer's subscriptions",
  forbiddenFix: 'The Partner Center account needs the Admin Agent role, and your organization must be the reseller of record.',
} satisfies CustomerRead;

const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

// SubscriptionChanges over libs/microsoft. The subscription is read first (the change must start from the quantity
// it was asked from), then PATCHed by the client, which de-duplicates its own resends by MS-RequestId. An answer
// with an unknown effect is settled by reading the subscription again: applied when it shows the new quantity,
// failed when it still shows the old one, unknown otherwise.
export class SubscriptionChangesAdapter extends SubscriptionChanges {
  private readonly partnerCenter: PartnerCenterClient;

  constructor(
    config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl'> },
    private readonly tokens: MicrosoftAccessTokens,
    http: Pick<MicrosoftClientOptions, 'retry' | 'sleep' | 'timeoutMs'> = {},
  ) {
    super();
    // A partner admin waits for the answer on the approval page: short retries.
    this.partnerCenter = new PartnerCenterClient({ baseUrl: config.microsoft.partnerCenterBaseUrl, applicationName: 'Sync 365', timeoutMs: 20_000, retry: INTERACTIVE_RETRY, ...http });
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
    if (!before) return { outcome: 'refused', reason: 'Partner Center no longer lists this subscription for the customer, so nothing was changed.' };
    const current = count(before.quantity);
    if (current === change.to) return { outcome: 'applied', quantity: current, detail: `Partner Center already shows ${seats(current)}.` };
    if (current !== change.from) {
      return { outcome: 'refused', reason: `The subscription changed since the request: Partner Center shows ${seats(current)}, not ${change.from}. Nothing was changed.` };
    }

    try {
      const result = await this.partnerCenter.updateSubscriptionQuantity(token, change.customerTenantId, change.subscriptionId, change.to);
      if (result.state === 'updated' && count(result.subscription.quantity) === change.to) {
        return { outcome: 'applied', quantity: change.to, detail: `Partner Center changed the subscription from ${change.from} to ${seats(change.to)}.` };
      }
      // Accepted for later (202), or answered with another quantity: what Partner Center holds now decides.
      return this.settle(token, change, 'Partner Center took the change without confirming it.');
    } catch (error) {
      if (!(error instanceof MicrosoftApiError)) return nothingSent(error);
      const failure = quantityChangeFailure(error);
      if (failure.kind === 'refused') return { outcome: 'refused', reason: failure.reason };
      if (failure.kind === 'not-applied') return { outcome: 'failed', reason: failure.reason };
      return this.settle(token, change, failure.detail);
    }
  }

  async currentQuantity(organizationId: string, delegatedAdminId: string, customerTenantId: string, subscriptionId: string): Promise<number | null> {
    try {
      const subscription = await this.find(() => this.tokens.forPartnerCenter(organizationId, delegatedAdminId), customerTenantId, subscriptionId);
      return subscription ? count(subscription.quantity) : null;
    } catch (error) {
      throw customerReadFailure(error, READ_SUBSCRIPTION);
    }
  }

  private async settle(token: AccessTokenSource, change: QuantityChange, detail: string): Promise<QuantityChangeOutcome> {
    let after: PartnerCenterSubscription | null;
    try {
      after = await this.find(token, change.customerTenantId, change.subscriptionId);
    } catch {
      return { outcome: 'unknown', reason: `${detail} Reading the subscription again failed too, so whether the change was made is not known yet.` };
    }
    const quantity = after ? count(after.quantity) : null;
    if (quantity === change.to) return { outcome: 'applied', quantity, detail: `${detail} Read again, Partner Center shows the change was made: ${seats(quantity)}.` };
    if (quantity === change.from) return { outcome: 'failed', reason: `${detail} Read again, the subscription is unchanged at ${seats(quantity)}.` };
    return { outcome: 'unknown', reason: `${detail} Read again, Partner Center shows ${quantity === null ? 'no such subscription' : seats(quantity)}, so the outcome is not clear.` };
  }

  // Partner Center's client has no single-subscription GET; a customer has a handful of subscriptions.
  private async find(token: AccessTokenSource, customerTenantId: string, subscriptionId: string): Promise<PartnerCenterSubscription | null> {
    const wanted = subscriptionId.toLowerCase();
    const all = await this.partnerCenter.listSubscriptions(token, customerTenantId).all();
    return all.find((subscription) => text(subscription.id)?.toLowerCase() === wanted) ?? null;
  }
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
