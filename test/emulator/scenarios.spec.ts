import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, demoScenario, generateScenario, type Customer } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  CONTOSO,
  control,
  NORTHWIND,
  partnerSession,
  startTestEmulator,
  TAILSPIN,
  useTestEmulator,
} from './support/emulator-test-kit';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 2, 10, 15, 30);

describe('scenario data', () => {
  it('builds the same demo world twice on the same day, with the existing ids and names', () => {
    const first = demoScenario({ now: NOW });
    const second = demoScenario({ now: NOW + 60 * 60 * 1000 });

    expect(second).toEqual(first);
    expect(first.tenants.map((tenant) => [tenant.displayName, tenant.partnerType])).toEqual([
      ['Contoso Partners', 'direct'],
      ['Fabrikam Reseller', 'indirectReseller'],
      ['Tailspin Distribution', 'indirectProvider'],
      ['Northwind Partners', 'direct'],
    ]);
    expect(first.tenants.find((tenant) => tenant.id === DEMO_IDS.contosoTenant)?.displayName).toBe('Contoso Partners');
    expect(first.users.find((user) => user.userPrincipalName === `s365@${CONTOSO}`)?.id).toBe(DEMO_IDS.contosoServiceAccount);
    expect(first.users.map((user) => user.userPrincipalName)).toEqual(
      expect.arrayContaining([
        `admin@${TAILSPIN}`,
        `s365@${TAILSPIN}`,
        `admin@${NORTHWIND}`,
        `s365@${NORTHWIND}`,
        `sales@${CONTOSO}`,
        `nomfa@${CONTOSO}`,
      ]),
    );
    expect(first.tenants.find((tenant) => tenant.id === DEMO_IDS.northwindTenant)?.requiresAdminConsent).toBe(true);
  });

  it('keeps ids but moves dates with the day it is built', () => {
    const today = demoScenario({ now: NOW });
    const later = demoScenario({ now: NOW + 10 * DAY });

    expect(later.customers!.map((customer) => customer.id)).toEqual(today.customers!.map((customer) => customer.id));
    const start = (scenario: typeof today) => Date.parse(scenario.customers![0].subscriptions[0].effectiveStartDate);
    expect(start(later) - start(today)).toBe(10 * DAY);
  });

  it('generates the same world from the same seed, another from another seed', () => {
    const a = generateScenario({ customers: 300, seed: 42, now: NOW });
    const b = generateScenario({ customers: 300, seed: 42, now: NOW });
    const c = generateScenario({ customers: 300, seed: 43, now: NOW });

    expect(b).toEqual(a);
    expect(c.customers!.map((customer) => customer.id)).not.toEqual(a.customers!.map((customer) => customer.id));
    expect(a.customers).toHaveLength(300);
    expect(new Set(a.customers!.map((customer) => customer.id)).size).toBe(300);
    expect(new Set(a.customers!.map((customer) => customer.defaultDomain)).size).toBe(300);
    expect(a.users).toEqual(demoScenario({ now: NOW }).users);
    // Every quirk kind shows up in a world this size.
    const skus = a.customers!.flatMap((customer) => customer.subscribedSkus);
    expect(skus.some((sku) => sku.consumedUnits > sku.prepaidUnits.enabled)).toBe(true);
    expect(skus.some((sku) => sku.prepaidUnits.suspended > 0)).toBe(true);
    expect(a.gdapRelationships!.some((relationship) => relationship.status === 'expired')).toBe(true);
    expect(a.gdapRelationships!.length).toBeLessThan(300);
  });

  it('pages a 10,000-customer world to the end', async () => {
    const scenario = generateScenario({ customers: 10_000, seed: 7 });
    const env = await startTestEmulator({ scenario });
    try {
      const token = (await partnerSession(env, `s365@${CONTOSO}`)).partnerCenterToken;
      const ids: string[] = [];
      const names: string[] = [];
      let response = await callApi(env, '/v1/customers?size=1000', token);
      for (let page = 0; ; page++) {
        expect(response.status).toBe(200);
        ids.push(...response.body.items.map((item: { id: string }) => item.id));
        names.push(
          ...response.body.items.map((item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName.toLowerCase()),
        );
        const next = response.body.links.next;
        if (!next || page > 20) break;
        response = await callApi(env, next.uri, token, { headers: { [next.headers[0].key]: next.headers[0].value } });
      }

      expect(ids).toHaveLength(10_000);
      expect(new Set(ids).size).toBe(10_000);
      expect(names).toEqual([...names].sort());
      const last: Customer = scenario.customers![9_999];
      expect((await callApi(env, `/v1/customers/${last.id}/subscribedskus`, token)).body.totalCount).toBe(last.subscribedSkus.length);
    } finally {
      await env.emulator.close();
    }
  });
});

describe('the demo world, as served', () => {
  const env = useTestEmulator();
  let contosoToken: string;

  beforeAll(async () => {
    contosoToken = (await partnerSession(env, `s365@${CONTOSO}`)).partnerCenterToken;
  });

  const contosoCustomers = Object.values(DEMO_CUSTOMERS).filter((customer) => customer.partnerTenantId === DEMO_IDS.contosoTenant);

  // Licences as Partner Center serves them: refused (403) for the customers whose GDAP gives s365 no licence-reading
  // role, listed as none here.
  async function estate(): Promise<{ key: string; subscriptions: any[]; skus: any[]; licencesStatus: number }[]> {
    return Promise.all(
      contosoCustomers.map(async (customer) => {
        const licences = await callApi(env, `/v1/customers/${customer.id}/subscribedskus`, contosoToken);
        return {
          key: customer.key,
          subscriptions: (await callApi(env, `/v1/customers/${customer.id}/subscriptions`, contosoToken)).body.items,
          skus: licences.status === 200 ? licences.body.items : [],
          licencesStatus: licences.status,
        };
      }),
    );
  }

  async function count(user: string, path: string): Promise<number> {
    return (await callApi(env, path, (await partnerSession(env, user)).partnerCenterToken)).body.items.length;
  }

  it('has the documented number of customers and invoices per partner', async () => {
    expect(await count(`s365@${CONTOSO}`, '/v1/customers')).toBe(DEMO_QUIRKS.contoso.customers);
    expect(await count(`s365@${TAILSPIN}`, '/v1/customers')).toBe(DEMO_QUIRKS.tailspin.customers);
    // Northwind's service account could not consent (admin approval), its admin can.
    expect(await count(`admin@${NORTHWIND}`, '/v1/customers')).toBe(DEMO_QUIRKS.northwind.customers);
    expect(await count(`s365@${CONTOSO}`, '/v1/invoices')).toBe(DEMO_QUIRKS.contoso.invoices);
    expect(await count(`s365@${TAILSPIN}`, '/v1/invoices')).toBe(DEMO_QUIRKS.tailspin.invoices);
    expect(await count(`admin@${NORTHWIND}`, '/v1/invoices')).toBe(DEMO_QUIRKS.northwind.invoices);
  });

  it("has exactly the documented quirks in Contoso's customers", async () => {
    const customers = await estate();
    const skus = customers.flatMap(({ key, skus: list }) => list.map((sku) => ({ key, sku })));
    const subscriptions = customers.flatMap(({ key, subscriptions: list }) => list.map((subscription) => ({ key, subscription })));
    const partNumbers = (list: { key: string; sku: any }[]) => list.map(({ key, sku }) => [key, sku.productSku.skuPartNumber]);
    const quirks = DEMO_QUIRKS.contoso;

    expect(subscriptions).toHaveLength(quirks.partnerCenterSubscriptions);
    expect(
      customers.filter((customer) => customer.licencesStatus !== 200).map((customer) => [customer.key, customer.licencesStatus]),
    ).toEqual(quirks.licencesUnreadable.map((key) => [key, 403]).sort());
    expect(skus).toHaveLength(quirks.subscribedSkusReadable);
    expect(partNumbers(skus.filter(({ sku }) => sku.consumedUnits > sku.activeUnits))).toEqual([
      [quirks.overAssigned.customer, quirks.overAssigned.skuPartNumber],
    ]);
    expect(partNumbers(skus.filter(({ sku }) => sku.suspendedUnits > 0))).toEqual([
      [quirks.suspended.customer, quirks.suspended.skuPartNumber],
    ]);
    expect(partNumbers(skus.filter(({ sku }) => sku.warningUnits > 0))).toEqual([[quirks.warning.customer, quirks.warning.skuPartNumber]]);
    expect(skus.filter(({ sku }) => sku.activeUnits > sku.consumedUnits).length).toBeGreaterThan(30); // unassigned seats are common
    expect(
      subscriptions.filter(({ subscription }) => subscription.isTrial).map(({ key, subscription }) => [key, subscription.offerName]),
    ).toEqual([[quirks.trial.customer, 'Microsoft 365 Copilot']]);
    const boughtElsewhere = customers.flatMap(({ key, subscriptions: list, skus: licences }) =>
      licences
        .filter((sku) => !list.some((subscription) => subscription.offerName === sku.productSku.name))
        .map((sku) => [key, sku.productSku.skuPartNumber]),
    );
    expect(boughtElsewhere).toEqual([
      [quirks.lockedOut.customer, quirks.lockedOut.skuPartNumber],
      [quirks.boughtElsewhere.customer, quirks.boughtElsewhere.skuPartNumber],
    ]);
    const annualInWindow = subscriptions.filter(
      ({ subscription }) => subscription.termDuration === 'P1Y' && Date.now() <= Date.parse(subscription.cancellationAllowedUntilDate),
    );
    expect(annualInWindow.map(({ key }) => key)).toEqual([quirks.insideCancellationWindow.customer]);
    // New commerce (FACTS §7a.4): Adatum's E3 can lose seats only at renewal (nothing refundable now).
    const [adatumE3] = subscriptions.filter(
      ({ key, subscription }) => key === quirks.decreaseOnlyAtRenewal.customer && subscription.offerName === 'Microsoft 365 E3',
    );
    expect(adatumE3.subscription).toMatchObject({
      termDuration: 'P1Y',
      autoRenewEnabled: true,
      refundableQuantity: { totalQuantity: 0 },
      scheduledNextTermInstructions: null,
    });
    expect(quirks.changesAcceptedLater).toEqual({ customer: 'adatum', skuPartNumber: 'SPE_E3' }); // its 202 answers: pending-subscription-change.conformance
    expect(new Set(subscriptions.map(({ subscription }) => subscription.termDuration))).toEqual(new Set(['P1M', 'P1Y']));
    const partNumbersSold = new Set(skus.map(({ sku }) => sku.productSku.skuPartNumber));
    expect([...partNumbersSold].sort()).toEqual(
      [
        'EXCHANGESTANDARD',
        'IDENTITY_THREAT_PROTECTION',
        'Microsoft_365_Copilot',
        'O365_BUSINESS_ESSENTIALS',
        'O365_BUSINESS_PREMIUM',
        'POWER_BI_PRO',
        'SPB',
        'SPE_E3',
        'SPE_E5',
        'TEAMS_ESSENTIALS_AAD',
        'VISIOCLIENT',
      ].sort(),
    );
  });

  it("has the Sync 365 app in every Contoso customer but the documented ones, and one customer's Conditional Access refusal", async () => {
    const settings = await Promise.all(
      contosoCustomers.map(async (customer) => ({
        key: customer.key,
        consents: (await callApi(env, `/v1/customers/${customer.id}/applicationconsents`, contosoToken)).body.items as {
          applicationId: string;
        }[],
        conditionalAccess: (await control(env, 'GET', `customers/${customer.id}`)).body.conditionalAccess,
      })),
    );

    const withoutApp = settings
      .filter(({ consents }) => !consents.some((consent) => consent.applicationId === DEMO_IDS.sync365App))
      .map(({ key }) => key);
    expect(withoutApp.sort()).toEqual([...DEMO_QUIRKS.contoso.appNotProvisioned].sort());
    expect([...DEMO_QUIRKS.contoso.appProvisionedByImport, ...DEMO_QUIRKS.contoso.appCannotBeProvisioned].sort()).toEqual(
      withoutApp.sort(),
    );
    // The one that cannot be provisioned lacks Application Administrator; the other has it.
    expect(DEMO_QUIRKS.contoso.gdap.withoutApplicationAdministrator).toEqual(
      expect.arrayContaining([...DEMO_QUIRKS.contoso.appCannotBeProvisioned]),
    );
    expect(DEMO_QUIRKS.contoso.gdap.withoutApplicationAdministrator).not.toEqual(
      expect.arrayContaining([...DEMO_QUIRKS.contoso.appProvisionedByImport]),
    );
    expect(
      settings.filter(({ conditionalAccess }) => conditionalAccess !== null).map(({ key, conditionalAccess }) => [key, conditionalAccess]),
    ).toEqual(DEMO_QUIRKS.contoso.conditionalAccessBlocked.map((key) => [key, 'block']));
  });
});
