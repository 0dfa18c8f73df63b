import { DEMO_CUSTOMERS, DEMO_DOMAINS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const id = (key: string) => DEMO_CUSTOMERS[key].id;

interface AdminRow {
  id: string;
  partner_type: string | null;
  partner_type_detail: string | null;
  direct_csp: string;
  direct_csp_confirmed_by_name: string | null;
  direct_csp_evidence: string | null;
}

describe('Direct CSP: the partner type, the settings-cog test and the portal switch (e2e through the local Microsoft)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const adminOf = async (upn: string) => (await db<AdminRow>('select * from delegated_admins where account_upn = $1', [upn]))[0];

  // Signs in to the dashboard as the partner's admin and grants consent as its s365@ account; waits for the import
  // and the partner-type detection that follow.
  async function connect(partner: keyof typeof DEMO_DOMAINS): Promise<{ browser: EmulatorBrowser; admin: AdminRow }> {
    const browser = await signInToDashboard(t, `admin@${DEMO_DOMAINS[partner]}`);
    expect((await grantConsent(t, browser, `s365@${DEMO_DOMAINS[partner]}`)).status).toBe(303);
    await eventually(async () => expect((await adminOf(`s365@${DEMO_DOMAINS[partner]}`))?.partner_type_detail).toBeTruthy(), 60_000);
    await eventually(
      async () => expect(await db(`select 1 from import_runs where status not in ('completed', 'failed')`)).toHaveLength(0),
      60_000,
    );
    return { browser, admin: await adminOf(`s365@${DEMO_DOMAINS[partner]}`) };
  }

  async function runTest(browser: EmulatorBrowser, adminId: string, tenantId: string) {
    const settings = await browser.get(`${t.baseUrl}/customers/delegated-admins/${adminId}/direct-csp`);
    const confirm = await browser.get(`${t.baseUrl}/customers/delegated-admins/${adminId}/direct-csp/test?tenantId=${tenantId}`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Test Direct CSP permissions?');
    const yes = await browser.post(`${t.baseUrl}/customers/delegated-admins/${adminId}/direct-csp/test`, {
      _csrf: confirm.forms[0].fields._csrf,
      tenantId,
    });
    expect(yes.status).toBe(303);
    expect(settings.status).toBe(200);
    return browser.get(`${t.baseUrl}/customers/delegated-admins/${adminId}/direct-csp`);
  }

  const tests = (adminId: string) =>
    db<{ outcome: string; reason: string; tenant_name: string }>(
      'select outcome, reason, tenant_name from direct_csp_tests where delegated_admin_id = $1 order by tested_at',
      [adminId],
    );
  const audit = (action: string) =>
    db<{ outcome: string; subject: string; detail: string }>(
      'select outcome, subject, detail from audit_entries where action = $1 order by occurred_at',
      [action],
    );

  describe('Contoso Partners (direct bill)', () => {
    let browser: EmulatorBrowser;
    let admin: AdminRow;

    beforeAll(async () => {
      ({ browser, admin } = await connect('contoso'));
    });

    it('detects the partner type right after consent and shows it on the Delegated Admin tab, not yet confirmed', async () => {
      expect(admin).toMatchObject({ partner_type: 'direct', direct_csp: 'unknown' });
      const tab = await browser.get(`${t.baseUrl}/customers/delegated-admins`);
      expect(tab.html).toContain('Direct bill');
      expect(tab.html).toContain('Not confirmed');
      expect(tab.html).toContain(`href="/customers/delegated-admins/${admin.id}/direct-csp" aria-label="Settings"`);
    });

    it('leaves the flag unchanged, and says why, when Partner Center fails during the test', async () => {
      await emulatorControl(t, 'faults', { method: 'GET', path: '/v1/invoices', status: 500 });
      try {
        const page = await runTest(browser, admin.id, id('adatum'));
        expect(page.html).toContain('Failed');
        expect(page.html).toContain('Partner Center did not answer as expected (HTTP 500');
      } finally {
        await emulatorControl(t, 'faults', undefined, 'DELETE');
      }
      expect((await adminOf('s365@contoso-partners.example')).direct_csp).toBe('unknown');
      expect((await tests(admin.id)).at(-1)).toMatchObject({ outcome: 'failed', tenant_name: 'Adatum Corporation' });
      expect((await audit('direct-csp.tested')).at(-1)).toMatchObject({
        outcome: 'failure',
        subject: 's365@contoso-partners.example with Adatum Corporation',
      });
    });

    it('confirms Direct CSP with Adatum: marks the account with who, when and the evidence, audit logged', async () => {
      const page = await runTest(browser, admin.id, id('adatum'));
      expect(page.html).toContain('Direct CSP confirmed');
      const confirmed = await adminOf('s365@contoso-partners.example');
      expect(confirmed).toMatchObject({ direct_csp: 'yes', direct_csp_confirmed_by_name: 'Contoso Admin', partner_type: 'direct' });
      expect(confirmed.direct_csp_evidence).toContain('Subscriptions of Adatum Corporation: 2 read');
      expect(confirmed.direct_csp_evidence).toContain('Invoices: Microsoft issues you invoices');
      expect((await audit('direct-csp.tested')).at(-1)).toMatchObject({
        outcome: 'success',
        detail: expect.stringContaining('Direct CSP confirmed'),
      });
      const tab = await browser.get(`${t.baseUrl}/customers/delegated-admins`);
      expect(tab.html).toContain('Confirmed');
      // Re-testing is allowed and recorded again.
      await runTest(browser, admin.id, id('woodgrove'));
      expect((await tests(admin.id)).map((x) => x.outcome)).toEqual(['failed', 'confirmed', 'confirmed']);
    });

    it('switches the self-service portal of a tenant on and off, stating the charges, audit logged', async () => {
      const tab = await browser.get(`${t.baseUrl}/tenants/${id('adatum')}/direct-csp`);
      expect(tab.status).toBe(200);
      expect(tab.html).toContain('Additional charges apply');
      const csrf = tab.forms.find((form) => form.action.endsWith('/self-service-portal'))!.fields._csrf;
      expect((await browser.post(`${t.baseUrl}/tenants/${id('adatum')}/self-service-portal`, { _csrf: csrf, enabled: 'on' })).status).toBe(
        303,
      );
      expect(await db('select enabled from tenant_portal_settings where tenant_id = $1', [id('adatum')])).toEqual([{ enabled: true }]);
      expect((await browser.post(`${t.baseUrl}/tenants/${id('adatum')}/self-service-portal`, { _csrf: csrf, enabled: 'off' })).status).toBe(
        303,
      );
      expect(await db('select enabled from tenant_portal_settings where tenant_id = $1', [id('adatum')])).toEqual([{ enabled: false }]);
      expect((await audit('direct-csp.portal-enabled')).map((x) => x.subject)).toEqual(['Adatum Corporation']);
      expect((await audit('direct-csp.portal-disabled')).map((x) => x.subject)).toEqual(['Adatum Corporation']);
    });

    it("matches Partner Center subscription IDs to the tenant's own subscriptions and flags the SKU bought elsewhere", async () => {
      const adatum = await browser.get(`${t.baseUrl}/tenants/${id('adatum')}/direct-csp`);
      const ids = await db<{ subscription_id: string }>('select subscription_id from tenant_subscriptions where tenant_id = $1', [
        id('adatum'),
      ]);
      expect(ids).toHaveLength(2);
      for (const { subscription_id } of ids) expect(adatum.html).toContain(subscription_id);
      expect(adatum.html).not.toContain('Not sold by you');

      const margies = await browser.get(`${t.baseUrl}/tenants/${id('margies')}/direct-csp`);
      expect(margies.html).toMatch(/<strong>Not sold by you:<\/strong> Visio Plan 2\./);
      const visioRow = /<tr data-sku="VISIOCLIENT">[\s\S]*?<\/tr>/.exec(margies.html)?.[0];
      expect(visioRow).toContain('Not sold by you');
      const sold = /<tr data-sku="O365_BUSINESS_PREMIUM">[\s\S]*?<\/tr>/.exec(margies.html)?.[0];
      expect(sold).toContain('Microsoft 365 Business Standard');
      expect(sold).not.toContain('Not sold by you');
    });

    it('refuses a tenant that is not a customer of this account, with a friendly page', async () => {
      const page = await browser.get(`${t.baseUrl}/customers/delegated-admins/${admin.id}/direct-csp/test?tenantId=${id('wingtip')}`);
      expect(page.status).toBe(404);
      expect(page.html).toContain('not among the customers of this Partner Center connection');
    });
  });

  describe('Tailspin Distribution (indirect provider)', () => {
    let browser: EmulatorBrowser;
    let admin: AdminRow;

    beforeAll(async () => {
      ({ browser, admin } = await connect('tailspin'));
    });

    it('is detected and reported as an indirect provider; the flag stays off and the portal switch is refused', async () => {
      expect(admin.partner_type).toBe('indirect_provider');
      const page = await runTest(browser, admin.id, id('wingtip'));
      expect(page.html).toContain('Indirect provider');
      expect(page.html).toContain('Fabrikam Reseller');
      expect((await tests(admin.id)).map((x) => x.outcome)).toEqual(['indirect_provider']);
      expect((await adminOf(`s365@${DEMO_DOMAINS.tailspin}`)).direct_csp).toBe('unknown');

      const tab = await browser.get(`${t.baseUrl}/tenants/${id('wingtip')}/direct-csp`);
      expect(tab.html).toContain('not confirmed as Direct CSP');
      const csrf = await csrfTokenOf(t, browser);
      const refused = await browser.post(`${t.baseUrl}/tenants/${id('wingtip')}/self-service-portal`, { _csrf: csrf, enabled: 'on' });
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('available only to Direct CSP partners');
      expect(await db('select 1 from tenant_portal_settings where tenant_id = $1', [id('wingtip')])).toHaveLength(0);
    });

    it("never reaches another organization's delegated admin or tenant", async () => {
      const contoso = await adminOf('s365@contoso-partners.example');
      expect((await browser.get(`${t.baseUrl}/customers/delegated-admins/${contoso.id}/direct-csp`)).status).toBe(404);
      expect((await browser.get(`${t.baseUrl}/tenants/${id('adatum')}/direct-csp`)).status).toBe(404);
    });
  });

  describe('Fabrikam Reseller (indirect reseller)', () => {
    it('is refused at consent as an indirect reseller, naming its provider, and nothing is stored', async () => {
      const browser = await signInToDashboard(t, `admin@${DEMO_DOMAINS.fabrikam}`);
      const refusal = await grantConsent(t, browser, `s365@${DEMO_DOMAINS.fabrikam}`);
      expect(refusal.status).toBe(403);
      expect(refusal.html).toContain('belongs to an indirect reseller');
      expect(refusal.html).toContain('Tailspin Distribution');
      expect(await adminOf(`s365@${DEMO_DOMAINS.fabrikam}`)).toBeUndefined();
    });
  });
});
