import { DEMO_CUSTOMERS } from '../../../../../libs/microsoft-emulator/src';
import {
  callApi,
  CONTOSO,
  control,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../../../../../test/emulator/support/emulator-test-kit';
import { DomainError } from '../../../../shared/domain/domain-error';
import { MicrosoftAccessTokens } from '../../../consent';
import type { QuantityChange } from '../../contracts/subscription-changes';
import { SubscriptionChangesAdapter } from './subscription-changes.adapter';

const ORG = 'org-1';
const ADMIN = 'delegated-admin-1';
const customer = (key: string) => DEMO_CUSTOMERS[key].id;

class SessionTokens extends MicrosoftAccessTokens {
  constructor(private readonly session: PartnerSession) {
    super();
  }
  async forPartnerCenter(): Promise<string> {
    return this.session.partnerCenterToken;
  }
  forPartnerGraph(): Promise<string> {
    throw new Error('not used');
  }
  forGraph(): Promise<string> {
    throw new Error('not used');
  }
}

class StandInReconsentRequiredError extends DomainError {
  readonly code = 'CONSENT.RECONSENT_REQUIRED';
}

class RefusingTokens extends MicrosoftAccessTokens {
  forPartnerCenter(): Promise<string> {
    return Promise.reject(new StandInReconsentRequiredError('The connection to Partner Center expired.', 'Re-grant consent.'));
  }
  forPartnerGraph(): Promise<string> {
    throw new Error('not used');
  }
  forGraph(): Promise<string> {
    throw new Error('not used');
  }
}

interface WireSubscription {
  id: string;
  offerName: string;
  quantity: number;
  termDuration: string;
  status: string;
}

describe('SubscriptionChangesAdapter against the Microsoft emulator', () => {
  let env: TestEmulator;
  let session: PartnerSession;
  let adapter: SubscriptionChangesAdapter;

  const subscriptionsOf = async (key: string): Promise<WireSubscription[]> =>
    (await callApi(env, `/v1/customers/${customer(key)}/subscriptions`, session.partnerCenterToken)).body.items;
  const subscription = async (key: string, match: (s: WireSubscription) => boolean) => (await subscriptionsOf(key)).find(match)!;
  const requests = async (route: string): Promise<number> =>
    ((await control(env, 'GET', 'requests')).body as Record<string, number>)[route] ?? 0;
  const change = (key: string, subscriptionId: string, from: number, to: number): QuantityChange => ({
    organizationId: ORG,
    delegatedAdminId: ADMIN,
    customerTenantId: customer(key),
    subscriptionId,
    from,
    to,
  });

  beforeAll(async () => {
    env = await startTestEmulator();
    session = await partnerSession(env, `s365@${CONTOSO}`);
    // Retries keep their order but do not wait.
    adapter = new SubscriptionChangesAdapter({ microsoft: { partnerCenterBaseUrl: env.url } }, new SessionTokens(session), {
      sleep: async () => undefined,
    });
  });
  afterAll(async () => {
    await env?.emulator.close();
  });
  // Faults are cleared without a reset, which would also forget the partner's tokens.
  afterEach(async () => {
    await control(env, 'DELETE', 'faults');
  });

  it("adds seats to Adatum's monthly Power BI Pro: Partner Center and the tenant's licences show the new quantity", async () => {
    const powerBi = await subscription('adatum', (s) => s.termDuration === 'P1M');
    expect(powerBi.quantity).toBe(10);

    const outcome = await adapter.changeQuantity(change('adatum', powerBi.id, 10, 12));

    expect(outcome).toEqual({ outcome: 'applied', quantity: 12, detail: 'Partner Center changed the subscription from 10 to 12 seats.' });
    expect((await subscription('adatum', (s) => s.id === powerBi.id)).quantity).toBe(12);
    expect(await adapter.currentQuantity(ORG, ADMIN, customer('adatum'), powerBi.id.toUpperCase())).toBe(12);
    // Asking again for the same change changes nothing and says so.
    expect(await adapter.changeQuantity(change('adatum', powerBi.id, 10, 12))).toMatchObject({
      outcome: 'applied',
      quantity: 12,
      detail: 'Partner Center already shows 12 seats.',
    });
    await control(env, 'PATCH', `customers/${customer('adatum')}/subscriptions/${powerBi.id}`, { quantity: 10 });
  });

  it('sends nothing when the subscription no longer holds the quantity the change starts from', async () => {
    const powerBi = await subscription('adatum', (s) => s.termDuration === 'P1M');
    const patches = await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}');

    const outcome = await adapter.changeQuantity(change('adatum', powerBi.id, 9, 12));

    expect(outcome).toEqual({
      outcome: 'refused',
      reason: 'The subscription changed since the request: Partner Center shows 10 seats, not 9. Nothing was changed.',
    });
    expect(await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}')).toBe(patches);
  });

  it('refuses, without sending anything, to reduce an annual subscription outside its 7-day window, and names the renewal day', async () => {
    const e3 = await subscription('adatum', (s) => s.termDuration === 'P1Y');
    const patches = await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}');

    const outcome = await adapter.changeQuantity(change('adatum', e3.id, 50, 48));

    expect(outcome).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(
        /^No seat of this subscription can be removed now: Microsoft lets seats be reduced only within 7 days of being added \(purchase, renewal or mid-term addition\)\. Remove them at renewal on \d{1,2} \w{3} \d{4} UTC instead\. Nothing was changed\.$/,
      ),
    });
    expect(await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}')).toBe(patches);
    expect((await subscription('adatum', (s) => s.id === e3.id)).quantity).toBe(50);
  });

  it('explains that a suspended subscription keeps its seats', async () => {
    const suspended = await subscription('citypower', (s) => s.status === 'suspended');

    const outcome = await adapter.changeQuantity(change('citypower', suspended.id, suspended.quantity, suspended.quantity + 1));

    expect(outcome).toEqual({
      outcome: 'refused',
      reason: 'Partner Center does not change the seats of a suspended subscription. (Partner Center 400, code 2001.)',
    });
  });

  it('reports a Partner Center failure as failed once a re-read shows nothing changed, without sending the change twice', async () => {
    const powerBi = await subscription('adatum', (s) => s.termDuration === 'P1M');
    const patches = await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}');
    expect((await control(env, 'POST', 'faults', { method: 'PATCH', path: '/v1/customers/*/subscriptions/*', status: 500 })).status).toBe(
      201,
    );

    const outcome = await adapter.changeQuantity(change('adatum', powerBi.id, 10, 11));

    expect(outcome).toEqual({
      outcome: 'failed',
      reason: 'Partner Center failed to answer the change (HTTP 500, code 800003). Read again, the subscription is unchanged at 10 seats.',
    });
    // A 5xx has an unknown effect: the client never resends it (the re-read decides).
    expect((await requests('PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}')) - patches).toBe(1);
    expect((await subscription('adatum', (s) => s.id === powerBi.id)).quantity).toBe(10);
  });

  it('says so when neither the change nor the re-read answer, and nothing was changed', async () => {
    const powerBi = await subscription('adatum', (s) => s.termDuration === 'P1M');
    // The first reads pass; the PATCH fails and so does every later read of the subscriptions.
    await control(env, 'POST', 'faults', { method: 'PATCH', path: '/v1/customers/*/subscriptions/*', status: 503 });
    const failingReads = adapterWithFailingRereads(env, session);

    const outcome = await failingReads.changeQuantity(change('adatum', powerBi.id, 10, 11));

    expect(outcome).toMatchObject({ outcome: 'unknown', reason: expect.stringContaining('Reading the subscription again failed too') });
    await control(env, 'DELETE', 'faults');
    expect((await subscription('adatum', (s) => s.id === powerBi.id)).quantity).toBe(10);
  });

  it('sends nothing and passes on the re-consent reason when the consent no longer works', async () => {
    const refusing = new SubscriptionChangesAdapter({ microsoft: { partnerCenterBaseUrl: env.url } }, new RefusingTokens());

    expect(await refusing.changeQuantity(change('adatum', 'any-subscription', 10, 11))).toEqual({
      outcome: 'refused',
      reason: 'The connection to Partner Center expired. Re-grant consent.',
    });
  });
});

// The adapter with a token source that, once the PATCH has been tried, makes the emulator refuse every later read
// (a 500 rule on the subscriptions list), so the settling re-read fails.
function adapterWithFailingRereads(env: TestEmulator, session: PartnerSession): SubscriptionChangesAdapter {
  let calls = 0;
  const tokens = new (class extends SessionTokens {
    override async forPartnerCenter(): Promise<string> {
      calls += 1;
      // Calls: our read, the client's read before the PATCH, the PATCH, then the re-read.
      if (calls === 4) await control(env, 'POST', 'faults', { method: 'GET', path: '/v1/customers/*/subscriptions', status: 500 });
      return session.partnerCenterToken;
    }
  })(session);
  return new SubscriptionChangesAdapter({ microsoft: { partnerCenterBaseUrl: env.url } }, tokens, { sleep: async () => undefined });
}
