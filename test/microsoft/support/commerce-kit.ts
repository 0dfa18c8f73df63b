import { DEMO_CUSTOMERS } from '../../../libs/microsoft-emulator/src';
import { MicrosoftAccessTokens } from '../../../src/modules/consent';
import type { QuantityChange } from '../../../src/modules/partner-center';
import { SubscriptionChangesAdapter } from '../../../src/modules/partner-center/infrastructure/microsoft/subscription-changes.adapter';
import {
  callApi,
  CONTOSO,
  control,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../../emulator/support/emulator-test-kit';

// What the new-commerce conformance tests share (FACTS §7a.4–5): Contoso's service account against the emulator,
// the real SubscriptionChanges adapter over libs/microsoft, and short ways to read and change subscriptions.

export const ORG = 'org-contoso';
export const ADMIN = 'delegated-admin-contoso';
export const customerId = (key: string): string => DEMO_CUSTOMERS[key].id;

export interface WireSubscription {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  termDuration: string;
  billingCycle: string;
  status: string;
  autoRenewEnabled: boolean;
  effectiveStartDate: string;
  commitmentEndDate: string;
  cancellationAllowedUntilDate: string;
  renewalTermDuration: string;
  refundableQuantity: { totalQuantity: number; details: { quantity: number; allowedUntilDateTime: string }[] };
  scheduledNextTermInstructions: null | { product: Record<string, string>; quantity: number };
  attributes: { etag: string; objectType: string };
}

class SessionTokens extends MicrosoftAccessTokens {
  constructor(private readonly session: () => PartnerSession) {
    super();
  }
  async forPartnerCenter(): Promise<string> {
    return this.session().partnerCenterToken;
  }
  forPartnerGraph(): Promise<string> {
    throw new Error('not used');
  }
  forGraph(): Promise<string> {
    throw new Error('not used');
  }
}

// The set-up every commerce rule's file shares: one emulator for the file, back to the demo world before each test.
export function useCommerceKit(): CommerceKit {
  const kit = new CommerceKit();
  beforeAll(() => kit.start());
  afterAll(() => kit.stop());
  beforeEach(() => kit.reset());
  return kit;
}

export class CommerceKit {
  env!: TestEmulator;
  session!: PartnerSession;
  adapter!: SubscriptionChangesAdapter;

  async start(): Promise<void> {
    this.env = await startTestEmulator();
    this.adapter = new SubscriptionChangesAdapter(
      { microsoft: { partnerCenterBaseUrl: this.env.url } },
      new SessionTokens(() => this.session),
      { sleep: async () => undefined },
    );
  }

  async stop(): Promise<void> {
    await this.env?.emulator.close();
  }

  // Back to the demo world as built today (the clock too), with a fresh sign-in (a reset forgets tokens).
  async reset(): Promise<void> {
    await control(this.env, 'POST', 'reset');
    this.session = await partnerSession(this.env, `s365@${CONTOSO}`);
  }

  async subscriptions(key: string): Promise<WireSubscription[]> {
    const response = await callApi(this.env, `/v1/customers/${customerId(key)}/subscriptions`, this.session.partnerCenterToken);
    if (response.status !== 200) throw new Error(`subscriptions of ${key}: ${response.status} ${response.text}`);
    return response.body.items;
  }

  async subscription(key: string, offerName: string): Promise<WireSubscription> {
    const found = (await this.subscriptions(key)).find((s) => s.offerName === offerName);
    if (!found) throw new Error(`${key} has no ${offerName}`);
    return found;
  }

  async byId(key: string, id: string): Promise<WireSubscription> {
    return (await callApi(this.env, `/v1/customers/${customerId(key)}/subscriptions/${id}`, this.session.partnerCenterToken)).body;
  }

  patch(key: string, id: string, body: unknown) {
    return callApi(this.env, `/v1/customers/${customerId(key)}/subscriptions/${id}`, this.session.partnerCenterToken, {
      method: 'PATCH',
      body,
    });
  }

  get(path: string) {
    return callApi(this.env, path, this.session.partnerCenterToken);
  }

  async activeUnits(key: string, skuPartNumber: string): Promise<number> {
    const items = (await this.get(`/v1/customers/${customerId(key)}/subscribedskus`)).body.items as {
      activeUnits: number;
      productSku: { skuPartNumber: string };
    }[];
    return items.find((item) => item.productSku.skuPartNumber === skuPartNumber)!.activeUnits;
  }

  // Moves the emulator clock (POST /__emulator/clock); the partner signs in again, as the old token has expired.
  async advance(seconds: number): Promise<void> {
    expect((await control(this.env, 'POST', 'clock', { advanceSeconds: seconds })).status).toBe(200);
    this.session = await partnerSession(this.env, `s365@${CONTOSO}`);
  }

  async patches(): Promise<number> {
    return (
      ((await control(this.env, 'GET', 'requests')).body as Record<string, number>)[
        'PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}'
      ] ?? 0
    );
  }

  change(key: string, subscriptionId: string, from: number, to: number): QuantityChange {
    return { organizationId: ORG, delegatedAdminId: ADMIN, customerTenantId: customerId(key), subscriptionId, from, to };
  }
}

// The instructions for the subscription's own product at renewal, as create-scheduled-changes.md builds them.
export function sameProductAtRenewal(subscription: WireSubscription, quantity: number) {
  const [productId, skuId, availabilityId] = subscription.offerId.split(':');
  return {
    product: { productId, skuId, availabilityId, billingCycle: subscription.billingCycle, termDuration: subscription.termDuration },
    quantity,
  };
}

export const DAY_SECONDS = 24 * 60 * 60;
