import { DEMO_CUSTOMERS, DEMO_DOMAINS } from '../../libs/microsoft-emulator/src';
import { DemoBillingSeeder } from '../../src/config/demo-billing.seeder';
import { apiKeyClient, createApiKey, sessionClient } from '../support/api-client';
import { grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

// What `npm start` shows on the Billing tab: the demo seeder (src/config/demo-billing.seeder.ts, wired with
// demoData) prices the demo partner's products once its first reconciliation finishes.
describe('billing demo data (e2e)', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('ships profiles for the demo products, one unmapped product, one customer override and one pending approval', async () => {
    t = await startTestApp({ demoData: true });
    const browser = await signInToDashboard(t, `admin@${DEMO_DOMAINS.contoso}`);
    expect((await grantConsent(t, browser, `s365@${DEMO_DOMAINS.contoso}`)).status).toBe(303);
    const api = sessionClient(t, browser);
    await eventually(async () => expect((await api.GET('/api/v1/billing/approvals')).data!.items).toHaveLength(1), 180_000);

    const [approval] = (await api.GET('/api/v1/billing/approvals')).data!.items;
    expect(approval).toMatchObject({ tenantId: DEMO_CUSTOMERS.adatum.id, kind: 'decrease', status: 'pending' });
    const profiles = (await api.GET('/api/v1/billing/profiles')).data!.items;
    expect(profiles.filter((p) => p.tenantId === null).length).toBeGreaterThanOrEqual(8);
    expect(profiles.filter((p) => p.tenantId !== null)).toEqual([
      expect.objectContaining({ tenantId: DEMO_CUSTOMERS.adatum.id, unitPrice: '34.50' }),
    ]);
    const preview = (await api.GET('/api/v1/billing/preview')).data!;
    expect(preview.notMapped.map((p) => p.microsoftProduct)).toContain('Microsoft 365 Copilot');
    expect(Number(preview.total)).toBeGreaterThan(0);
    // Seeded as a person would, under its own name in the audit log.
    expect(
      (
        await t.query<{ n: number }>(
          `select count(*)::int as n from audit_entries where actor_name = 'Sync 365 demo data' and action = 'billing.profile-created'`,
        )
      )[0].n,
    ).toBe(profiles.length);

    // The unmapped product is an alert (not a silent 0) until someone prices it; then the alert resolves by itself.
    const copilot = preview.notMapped.find((p) => p.microsoftProduct === 'Microsoft 365 Copilot')!;
    const openAlert = () =>
      t.query<{ title: string; resolved_at: Date | null }>(
        `select title, resolved_at from alerts where rule = 'sku-without-billing-profile' and sku_id = $1`,
        [copilot.skuId],
      );
    await eventually(
      async () =>
        expect(await openAlert()).toEqual([
          expect.objectContaining({ resolved_at: null, title: expect.stringContaining('Microsoft 365 Copilot has no billing profile') }),
        ]),
      60_000,
    );
    const writer = apiKeyClient(t, await createApiKey(t, browser, 'Billing system', ['read:billing', 'write:billing']));
    expect(
      (await writer.POST('/api/v1/billing/profiles', { body: { skuId: copilot.skuId, productName: 'Copilot seat', unitPrice: '28.00' } }))
        .response.status,
    ).toBe(201);
    await eventually(async () => expect(await openAlert()).toEqual([expect.objectContaining({ resolved_at: expect.any(Date) })]), 60_000);

    // The next reconciliation leaves the priced organization alone.
    expect(await t.app.get(DemoBillingSeeder).seed((await t.query<{ id: string }>('select id from organizations'))[0].id)).toBe(false);
    expect((await api.GET('/api/v1/billing/profiles')).data!.items).toHaveLength(profiles.length + 1);
  }, 240_000);
});
