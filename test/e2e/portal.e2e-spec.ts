import {
  DEMO_CUSTOMER_USERS,
  DEMO_CUSTOMERS,
  EmulatorBrowser,
  signInThroughForms,
  sync365DemoApp,
  type BrowserResponse,
} from '../../libs/microsoft-emulator/src';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { SettleChangesUseCase } from '../../src/modules/portal/application/settle-changes.use-case';
import { callApi, partnerSession, type TestEmulator } from '../emulator/support/emulator-test-kit';
import { csrfTokenOf, emulatorControl, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { ShiftedClock } from '../../src/shared/testing/fakes';
import { startTestApp, type TestApp } from '../support/test-app';

const ADATUM = DEMO_CUSTOMERS.adatum.id;
const WOODGROVE = DEMO_CUSTOMERS.woodgrove.id;
const { amelia: AMELIA, noah: NOAH, rebecca: REBECCA } = DEMO_CUSTOMER_USERS;

interface SubscriptionRow {
  subscription_id: string;
  offer_name: string;
  term_duration: string;
}

interface RequestRow {
  id: string;
  kind: string;
  status: string;
  from_quantity: number;
  to_quantity: number;
  result: string | null;
  decided_by_name: string | null;
  decision_comment: string | null;
  applied_quantity: number | null;
}

describe('the licence portal: customers request, the partner decides, Partner Center changes (e2e through the local Microsoft)', () => {
  let t: TestApp;
  const clock = new ShiftedClock();
  let staff: EmulatorBrowser;
  let partnerCenterToken: string;
  let e3: string;
  let powerBi: string;
  let woodgroveSubscription: string;

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const requestsOf = (subscriptionId: string) =>
    db<RequestRow>('select * from portal_change_requests where subscription_id = $1 order by requested_at', [subscriptionId]);
  const audit = (action: string) =>
    db<{ actor_name: string; subject: string; outcome: string; detail: string | null }>(
      'select actor_name, subject, outcome, detail from audit_entries where action = $1 order by occurred_at',
      [action],
    );
  const events = (name: string) =>
    db<{ payload: { requestId: string; status: string; result: string | null } }>(
      'select payload from outbox_messages where event_name = $1 order by occurred_at',
      [name],
    );

  // What Partner Center itself holds, read with a partner token the way the adapters read it.
  async function partnerCenterQuantity(subscriptionId: string): Promise<number> {
    return (await partnerCenterSubscription(subscriptionId)).quantity;
  }
  async function partnerCenterSubscription(
    subscriptionId: string,
  ): Promise<{ id: string; quantity: number; scheduledNextTermInstructions: { quantity: number } | null }> {
    const response = await callApi(emulatorEnv(t), `/v1/customers/${ADATUM}/subscriptions`, partnerCenterToken);
    return (response.body.items as { id: string; quantity: number; scheduledNextTermInstructions: { quantity: number } | null }[]).find(
      (s) => s.id === subscriptionId,
    )!;
  }

  // A customer's person signs in to the portal in their own browser; the answer of the app's callback.
  async function portalSignIn(username: string): Promise<{ browser: EmulatorBrowser; callback: BrowserResponse }> {
    const browser = new EmulatorBrowser();
    const start = await browser.get(`${t.baseUrl}/portal/login`);
    expect(start.status).toBe(302);
    const back = await signInThroughForms(browser, start.location!, { username });
    expect(back.url.startsWith(`${t.baseUrl}/portal/auth/callback?`)).toBe(true);
    return { browser, callback: await browser.get(back.url) };
  }

  async function signedInToPortal(username: string): Promise<EmulatorBrowser> {
    const { browser, callback } = await portalSignIn(username);
    expect(callback.status).toBe(303);
    expect(pathOf(callback.location)).toBe('/portal');
    return browser;
  }

  async function staffPost(path: string, fields: Record<string, string>, formPage: string): Promise<BrowserResponse> {
    return staff.post(`${t.baseUrl}${path}`, { _csrf: await csrfTokenOf(t, staff, formPage), ...fields });
  }

  async function portalPost(browser: EmulatorBrowser, path: string, fields: Record<string, string>): Promise<BrowserResponse> {
    const page = await browser.get(`${t.baseUrl}/portal`);
    const csrf = page.forms.find((f) => f.fields._csrf)!.fields._csrf;
    return browser.post(`${t.baseUrl}${path}`, { _csrf: csrf, ...fields });
  }

  async function requestChange(browser: EmulatorBrowser, subscriptionId: string, kind: string, quantity: number): Promise<BrowserResponse> {
    return portalPost(browser, '/portal/requests', { subscriptionId, kind, quantity: String(quantity) });
  }

  // Approving takes the confirmation step first (it shows what would be bought or changed and sends nothing).
  async function decide(requestId: string, decision: 'approve' | 'reject', comment = ''): Promise<BrowserResponse> {
    if (decision === 'approve') {
      const confirmation = await staffPost(
        `/portal-requests/${requestId}/approve`,
        { comment, returnTo: `/tenants/${ADATUM}/portal` },
        '/portal-requests',
      );
      expect(confirmation.status).toBe(200);
      expect(confirmation.html).toContain('Approve this licence change?');
      expect(await db<RequestRow>('select * from portal_change_requests where id = $1', [requestId])).toMatchObject([
        { status: 'pending', decided_by_name: null },
      ]);
    }
    const decided = await staffPost(
      `/portal-requests/${requestId}/${decision}`,
      { comment, returnTo: `/tenants/${ADATUM}/portal`, ...(decision === 'approve' ? { confirm: 'yes' } : {}) },
      '/portal-requests',
    );
    expect(decided.status).toBe(303);
    expect(pathOf(decided.location)).toBe(`/tenants/${ADATUM}/portal`);
    return staff.get(`${t.baseUrl}/tenants/${ADATUM}/portal`);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    // The partner's admin connects Partner Center (consent as s365@), confirms Direct CSP from the settings cog,
    // switches the portal on for Adatum and adds Amelia with the Modify role.
    staff = await signInToDashboard(t, 'admin@contoso-partners.example');
    const grant = await staffPost('/customers/delegated-admins/grant', {}, '/customers/delegated-admins');
    const consent = await signInThroughForms(staff, grant.location!, { username: 's365@contoso-partners.example' });
    expect((await staff.get(consent.url)).status).toBe(303);
    await eventually(async () => expect(await db(`select 1 from delegated_admins where partner_type is not null`)).toHaveLength(1), 60_000);
    await eventually(
      async () => expect(await db(`select 1 from import_runs where status not in ('completed', 'failed')`)).toHaveLength(0),
      90_000,
    );
    const [admin] = await db<{ id: string }>('select id from delegated_admins');
    const confirm = await staff.get(`${t.baseUrl}/customers/delegated-admins/${admin.id}/direct-csp/test?tenantId=${ADATUM}`);
    expect(
      (
        await staff.post(`${t.baseUrl}/customers/delegated-admins/${admin.id}/direct-csp/test`, {
          _csrf: confirm.forms[0].fields._csrf,
          tenantId: ADATUM,
        })
      ).status,
    ).toBe(303);
    expect(await db(`select 1 from delegated_admins where direct_csp_confirmed_at is not null`)).toHaveLength(1);
    expect((await staffPost(`/tenants/${ADATUM}/self-service-portal`, { enabled: 'on' }, `/tenants/${ADATUM}/direct-csp`)).status).toBe(
      303,
    );
    expect(
      (await staffPost(`/tenants/${ADATUM}/portal/users`, { userPrincipalName: AMELIA, role: 'modify' }, `/tenants/${ADATUM}/portal`))
        .status,
    ).toBe(303);

    const subscriptions = await db<SubscriptionRow>(
      'select subscription_id, offer_name, term_duration from tenant_subscriptions where tenant_id = $1',
      [ADATUM],
    );
    e3 = subscriptions.find((s) => s.term_duration === 'P1Y')!.subscription_id;
    powerBi = subscriptions.find((s) => s.term_duration === 'P1M')!.subscription_id;
    woodgroveSubscription = (
      await db<SubscriptionRow>('select subscription_id from tenant_subscriptions where tenant_id = $1', [WOODGROVE])
    )[0].subscription_id;
    partnerCenterToken = (await partnerSession(emulatorEnv(t), 's365@contoso-partners.example')).partnerCenterToken;
  }, 240_000);
  afterAll(() => t.close());

  describe('sign-in', () => {
    it('ends a portal sign-in 24 hours after it, however active', async () => {
      const browser = await signedInToPortal(AMELIA);
      try {
        clock.offsetMs = 23 * 3600_000;
        expect((await browser.get(`${t.baseUrl}/portal`)).status).toBe(200);
        clock.offsetMs = 25 * 3600_000;
        const after = await browser.get(`${t.baseUrl}/portal`);
        expect(after.status).toBe(303);
        expect(pathOf(after.location)).toBe('/portal/sign-in');
      } finally {
        clock.offsetMs = 0;
      }
    });

    it("lets Amelia in to Adatum's portal, branded with her partner's name: Adatum's licences and subscriptions, no other tenant's", async () => {
      const browser = await signedInToPortal(AMELIA);
      const home = await browser.get(`${t.baseUrl}/portal`);
      expect(home.status).toBe(200);
      expect(home.html).toContain('Contoso Partners — licence portal');
      expect(home.html).toContain('Adatum Corporation');
      expect(home.html).toContain('Microsoft 365 E3');
      expect(home.html).toContain('Power BI Pro');
      expect(home.html).toContain(`data-subscription="${powerBi}"`);
      expect(home.html).not.toContain('Woodgrove');
      // The dashboard's navigation is not there.
      expect(home.html).not.toContain('href="/licensing"');
      // Her first sign-in bound her Microsoft object id.
      expect(await db('select 1 from portal_users where user_principal_name = $1 and object_id is not null', [AMELIA])).toHaveLength(1);
    });

    it("never shows Amelia another tenant's subscription, nor lets her request on it", async () => {
      const browser = await signedInToPortal(AMELIA);
      expect((await browser.get(`${t.baseUrl}/portal/subscriptions/${woodgroveSubscription}/change`)).status).toBe(404);
      const refused = await requestChange(browser, woodgroveSubscription, 'increase', 200);
      expect(refused.status).toBe(404);
      expect(refused.html).toContain('Back to your licences');
      expect(await requestsOf(woodgroveSubscription)).toHaveLength(0);
    });

    it('keeps the portal user out of the dashboard: a portal sign-in is not a staff sign-in', async () => {
      const browser = await signedInToPortal(AMELIA);
      const dashboard = await browser.get(`${t.baseUrl}/customers`);
      expect(dashboard.status).toBe(303);
      expect(pathOf(dashboard.location)).toBe('/auth/sign-in');
      expect(pathOf((await browser.get(`${t.baseUrl}/tenants/${ADATUM}/portal`)).location)).toBe('/auth/sign-in');
    });

    it('refuses Rebecca: Woodgrove has no portal, and the page says who to ask', async () => {
      const { browser, callback } = await portalSignIn(REBECCA);
      expect(callback.status).toBe(403);
      expect(callback.html).toContain('Your organization has no licence portal in Sync 365');
      expect(callback.html).toContain('Ask the IT partner who manages your Microsoft 365 licences');
      const home = await browser.get(`${t.baseUrl}/portal`);
      expect(home.status).toBe(303);
      expect(pathOf(home.location)).toBe('/portal/sign-in');
    });

    it("refuses the partner's own admin: partner staff are not portal users, and a dashboard sign-in does not open the portal", async () => {
      const { callback } = await portalSignIn('admin@contoso-partners.example');
      expect(callback.status).toBe(403);
      expect(callback.html).toContain('belongs to a Microsoft partner’s own organization');
      expect(callback.html).toContain('data-code="PORTAL.PARTNER_STAFF_FORBIDDEN"');
      const staffInPortal = await staff.get(`${t.baseUrl}/portal`);
      expect(staffInPortal.status).toBe(303);
      expect(pathOf(staffInPortal.location)).toBe('/portal/sign-in');
    });

    it('refuses Noah until the partner adds him; as a View user he sees the licences but cannot request changes', async () => {
      const before = await portalSignIn(NOAH);
      expect(before.callback.status).toBe(403);
      expect(before.callback.html).toContain(`${NOAH} is not a user of the licence portal of Adatum Corporation.`);
      expect(before.callback.html).toContain('Ask Contoso Partners to add you');

      expect(
        (await staffPost(`/tenants/${ADATUM}/portal/users`, { userPrincipalName: NOAH, role: 'view' }, `/tenants/${ADATUM}/portal`)).status,
      ).toBe(303);
      const browser = await signedInToPortal(NOAH);
      const home = await browser.get(`${t.baseUrl}/portal`);
      expect(home.status).toBe(200);
      expect(home.html).toContain('Power BI Pro');
      expect(home.html).not.toContain('Request a change');
      const form = await browser.get(`${t.baseUrl}/portal/subscriptions/${powerBi}/change`);
      expect(form.html).toContain('Your role (View)');
      const refused = await requestChange(browser, powerBi, 'increase', 12);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('does not allow you to request licence changes');
      expect(await requestsOf(powerBi)).toHaveLength(0);
      expect((await audit('portal.user-added')).map((a) => a.subject)).toEqual([
        `${AMELIA} at Adatum Corporation`,
        `${NOAH} at Adatum Corporation`,
      ]);
    });
  });

  describe('portal users added by the partner', () => {
    it("refuses someone of another organization, on the same page with what was typed and the customer's domain beside the field", async () => {
      const refused = await staffPost(
        `/tenants/${ADATUM}/portal/users`,
        { userPrincipalName: 'someone@fabrikam.example', role: 'modify' },
        `/tenants/${ADATUM}/portal`,
      );
      expect(refused.status).toBe(422);
      // The tenant's own page again, not an error page: the input kept, the message tied to the field.
      expect(refused.html).toContain('id="add-portal-user"');
      expect(refused.html).toContain(
        'value="someone@fabrikam.example" aria-invalid="true" aria-describedby="portal-user-userPrincipalName-error"',
      );
      expect(refused.html).toMatch(
        /<span class="field-error" id="portal-user-userPrincipalName-error">someone@fabrikam.example is not an address of Adatum Corporation: only people whose sign-in name ends in @adatum.example can use Adatum Corporation’s licence portal\./,
      );
      expect(refused.html).toMatch(/<option value="modify" selected>/);
      expect(refused.html).not.toContain('can now sign in');
      expect(await db('select 1 from portal_users where user_principal_name = $1', ['someone@fabrikam.example'])).toHaveLength(0);
      // A sign-in name that is not one at all is shown the same way.
      const malformed = await staffPost(
        `/tenants/${ADATUM}/portal/users`,
        { userPrincipalName: 'not an address', role: 'view' },
        `/tenants/${ADATUM}/portal`,
      );
      expect(malformed.status).toBe(422);
      expect(malformed.html).toContain('value="not an address" aria-invalid="true"');
    });

    it('accepts a person of a domain the customer verified in its directory though Partner Center names another (read through GDAP)', async () => {
      await emulatorControl(t, `customers/${ADATUM}`, { customDomains: ['adatum-corp.example'] }, 'PATCH');
      try {
        const added = await staffPost(
          `/tenants/${ADATUM}/portal/users`,
          { userPrincipalName: 'alex.wilber@adatum-corp.example', role: 'view' },
          `/tenants/${ADATUM}/portal`,
        );
        expect(added.status).toBe(303);
        expect(await db('select role from portal_users where user_principal_name = $1', ['alex.wilber@adatum-corp.example'])).toEqual([
          { role: 'view' },
        ]);
        const refused = await staffPost(
          `/tenants/${ADATUM}/portal/users`,
          { userPrincipalName: 'someone@fabrikam.example', role: 'view' },
          `/tenants/${ADATUM}/portal`,
        );
        expect(refused.status).toBe(422);
        expect(refused.html).toContain('adatum-corp.example');
      } finally {
        await emulatorControl(t, `customers/${ADATUM}`, { customDomains: [] }, 'PATCH');
      }
    });
  });

  describe('portal users managed by the customer', () => {
    it('lets a portal Admin manage the others of their own tenant, never themselves; the partner made her Admin', async () => {
      const [amelia] = await db<{ id: string }>('select id from portal_users where user_principal_name = $1', [AMELIA]);
      const [noah] = await db<{ id: string }>('select id from portal_users where user_principal_name = $1', [NOAH]);
      const modifyBrowser = await signedInToPortal(AMELIA);
      expect((await modifyBrowser.get(`${t.baseUrl}/portal/users`)).status).toBe(403);

      expect(
        (await staffPost(`/tenants/${ADATUM}/portal/users/${amelia.id}/role`, { role: 'admin' }, `/tenants/${ADATUM}/portal`)).status,
      ).toBe(303);
      const browser = await signedInToPortal(AMELIA);
      const users = await browser.get(`${t.baseUrl}/portal/users`);
      expect(users.status).toBe(200);
      expect(users.html).toContain(NOAH);
      // Her own organization's people only: someone at another company is refused on the same page, input kept.
      const outsider = await portalPost(browser, '/portal/users', { userPrincipalName: 'someone@fabrikam.example', role: 'view' });
      expect(outsider.status).toBe(422);
      expect(outsider.html).toContain('<h1>Portal users</h1>');
      expect(outsider.html).toContain(
        'value="someone@fabrikam.example" aria-invalid="true" aria-describedby="portal-user-userPrincipalName-error"',
      );
      expect(outsider.html).toContain('only people whose sign-in name ends in @adatum.example');
      expect(await db('select 1 from portal_users where user_principal_name = $1', ['someone@fabrikam.example'])).toHaveLength(0);
      expect((await portalPost(browser, `/portal/users/${noah.id}/role`, { role: 'modify' })).status).toBe(303);
      expect(await db('select role from portal_users where id = $1', [noah.id])).toEqual([{ role: 'modify' }]);
      const self = await portalPost(browser, `/portal/users/${amelia.id}/role`, { role: 'view' });
      expect(self.status).toBe(403);
      expect(self.html).toContain('You cannot change your own role or remove yourself.');
      expect((await audit('portal.user-role-changed')).map((a) => a.actor_name)).toEqual([
        'Contoso Admin',
        'Amelia Ortiz (Adatum Corporation, licence portal)',
      ]);
      // Back to Modify for the requests below; only the partner can do that for her.
      expect(
        (await staffPost(`/tenants/${ADATUM}/portal/users/${amelia.id}/role`, { role: 'modify' }, `/tenants/${ADATUM}/portal`)).status,
      ).toBe(303);
    });
  });

  describe('requests and decisions', () => {
    let amelia: EmulatorBrowser;

    beforeAll(async () => {
      amelia = await signedInToPortal(AMELIA);
    });

    it('shows the rules before submitting, then applies an approved increase in Partner Center; both sides see the result', async () => {
      const form = await amelia.get(`${t.baseUrl}/portal/subscriptions/${powerBi}/change`);
      expect(form.status).toBe(200);
      // New commerce: no monthly exemption; Power BI Pro's month started 12 days ago (FACTS §7a.4).
      expect(form.html).toMatch(
        /Seats can be removed only within 7 days of being bought, renewed or added; this term&#x27;s window ended on \d{1,2} \w{3} \d{4} UTC, so seats can now be removed only at renewal on \d{1,2} \w{3} \d{4} UTC\./,
      );
      const sent = await requestChange(amelia, powerBi, 'increase', 12);
      expect(sent.status).toBe(303);
      expect(pathOf(sent.location)).toBe('/portal/requests');
      const waiting = await amelia.get(`${t.baseUrl}/portal/requests`);
      expect(waiting.html).toContain('Your request was sent to Contoso Partners');
      expect(waiting.html).toContain('Waiting for approval');
      const [request] = await requestsOf(powerBi);
      expect(request).toMatchObject({ kind: 'increase', status: 'pending', from_quantity: 10, to_quantity: 12 });

      const pending = await staff.get(`${t.baseUrl}/portal-requests`);
      expect(pending.html).toContain(`data-request="${request.id}"`);
      // Approve first shows what it would buy, and sends nothing to Partner Center.
      const confirmation = await staffPost(
        `/portal-requests/${request.id}/approve`,
        { comment: 'Approved for the new analysts', returnTo: `/tenants/${ADATUM}/portal` },
        '/portal-requests',
      );
      expect(confirmation.status).toBe(200);
      expect(confirmation.html).toContain('<dd>Adatum Corporation</dd>');
      expect(confirmation.html).toContain('Add seats: <span class="num">10 → 12 seats (+2)</span>');
      expect(confirmation.html).toContain('<span class="num" data-quantity-now>10</span>');
      expect(confirmation.html).toContain('Approving buys 2 seats more at once');
      expect(confirmation.html).toContain('Not known to Sync 365');
      expect(confirmation.html).toContain('>Approve and buy 2 seats</button>');
      expect(confirmation.html).toContain('value="Approved for the new analysts"');
      expect(await partnerCenterQuantity(powerBi)).toBe(10);
      expect((await requestsOf(powerBi))[0]).toMatchObject({ status: 'pending' });
      const tenantPage = await decide(request.id, 'approve', 'Approved for the new analysts');
      expect(tenantPage.html).toContain('Approved and applied: Adatum Corporation — Power BI Pro (10 → 12 seats)');

      expect(await partnerCenterQuantity(powerBi)).toBe(12);
      expect((await requestsOf(powerBi))[0]).toMatchObject({
        status: 'applied',
        decided_by_name: 'Contoso Admin',
        decision_comment: 'Approved for the new analysts',
      });
      const seen = await amelia.get(`${t.baseUrl}/portal/requests`);
      expect(seen.html).toMatch(new RegExp(`data-request="${request.id}" data-status="applied"`));
      expect(seen.html).toContain('Partner Center changed the subscription from 10 to 12 seats.');
      const home = await amelia.get(`${t.baseUrl}/portal`);
      // Until the next import confirms it, the portal shows the quantity Partner Center answered.
      expect(new RegExp(`<tr data-subscription="${powerBi}">[\\s\\S]*?</tr>`).exec(home.html)?.[0]).toContain(
        '<td class="num" data-quantity>12</td>',
      );

      expect((await audit('portal.change-requested')).at(-1)).toMatchObject({
        actor_name: 'Amelia Ortiz (Adatum Corporation, licence portal)',
        subject: 'Adatum Corporation: Power BI Pro: 10 → 12 seats',
      });
      expect((await audit('portal.change-approved')).at(-1)).toMatchObject({ actor_name: 'Contoso Admin', outcome: 'success' });
      expect((await audit('portal.change-applied')).at(-1)).toMatchObject({ outcome: 'success' });
      expect((await events('portal.change-requested')).map((e) => e.payload.requestId)).toContain(request.id);
      expect((await events('portal.change-decided')).find((e) => e.payload.requestId === request.id)?.payload).toMatchObject({
        status: 'applied',
      });
    });

    it('refuses a reduction below the assigned seats, saying why, and sends nothing', async () => {
      const refused = await requestChange(amelia, powerBi, 'decrease_at_renewal', 6);
      expect(refused.status).toBe(422);
      expect(refused.html).toContain('Power BI Pro cannot go below 7 seats');
      expect(refused.html).toContain('Nothing was sent.');
      expect((await requestsOf(powerBi)).filter((r) => r.status === 'pending')).toHaveLength(0);
    });

    it('refuses an annual reduction outside the cancellation window, but takes it scheduled for renewal', async () => {
      const form = await amelia.get(`${t.baseUrl}/portal/subscriptions/${e3}/change`);
      expect(form.html).toMatch(
        /this term&#x27;s window ended on \d{1,2} \w{3} \d{4} UTC, so seats can now be removed only at renewal on \d{1,2} \w{3} \d{4} UTC\./,
      );
      const refused = await requestChange(amelia, e3, 'decrease', 48);
      expect(refused.status).toBe(422);
      expect(refused.html).toMatch(
        /Choose to remove the seats at renewal instead: they are removed on \d{1,2} \w{3} \d{4} UTC, when the subscription renews\./,
      );
      expect(await requestsOf(e3)).toHaveLength(0);

      expect((await requestChange(amelia, e3, 'decrease_at_renewal', 48)).status).toBe(303);
      const [request] = await requestsOf(e3);
      expect(request).toMatchObject({ kind: 'decrease_at_renewal', status: 'pending', to_quantity: 48 });
      const tenantPage = await decide(request.id, 'approve');
      // Written into Partner Center at once, as a change scheduled for the renewal (FACTS §7a.4).
      expect(tenantPage.html).toMatch(
        /Scheduled in Partner Center: Partner Center will change the subscription from 50 to 48 seats when it renews on \d{1,2} \w{3} \d{4} UTC\./,
      );
      expect((await requestsOf(e3))[0].status).toBe('scheduled');
      // Nothing changes in Partner Center before the renewal day; the change waits there.
      expect(await partnerCenterSubscription(e3)).toMatchObject({ quantity: 50, scheduledNextTermInstructions: { quantity: 48 } });
      expect((await amelia.get(`${t.baseUrl}/portal/requests`)).html).toContain('Scheduled for renewal');
    });

    it('reports a Partner Center failure to both sides and changes nothing', async () => {
      expect((await requestChange(amelia, powerBi, 'increase', 15)).status).toBe(303);
      const request = (await requestsOf(powerBi)).find((r) => r.status === 'pending')!;
      expect(request.from_quantity).toBe(12);
      await emulatorControl(t, 'faults', { method: 'PATCH', path: '/v1/customers/*/subscriptions/*', status: 500 });
      let tenantPage: BrowserResponse;
      try {
        tenantPage = await decide(request.id, 'approve');
      } finally {
        await emulatorControl(t, 'faults', undefined, 'DELETE');
      }
      expect(tenantPage.html).toContain('Approved, but not applied: Adatum Corporation — Power BI Pro (12 → 15 seats)');
      expect(tenantPage.html).toContain('Read again, the subscription is unchanged at 12 seats.');
      expect(await partnerCenterQuantity(powerBi)).toBe(12);
      const failed = (await requestsOf(powerBi)).find((r) => r.id === request.id)!;
      expect(failed).toMatchObject({
        status: 'failed',
        result: expect.stringContaining('Partner Center failed to answer the change (HTTP 500'),
      });
      const seen = await amelia.get(`${t.baseUrl}/portal/requests`);
      expect(seen.html).toMatch(new RegExp(`data-request="${request.id}" data-status="failed"`));
      expect(seen.html).toContain('Read again, the subscription is unchanged at 12 seats.');
      expect((await audit('portal.change-failed')).at(-1)).toMatchObject({ outcome: 'failure' });
      expect((await events('portal.change-decided')).find((e) => e.payload.requestId === request.id)?.payload.status).toBe('failed');
    });

    it('rejects with a comment the customer reads, and gives the partner an email-ready summary', async () => {
      expect((await requestChange(amelia, powerBi, 'increase', 20)).status).toBe(303);
      const request = (await requestsOf(powerBi)).find((r) => r.status === 'pending')!;
      const noComment = await decide(request.id, 'reject');
      expect(noComment.html).toContain('Say why you reject the request');
      expect((await requestsOf(powerBi)).find((r) => r.id === request.id)!.status).toBe('pending');
      await decide(request.id, 'reject', 'Twenty is more than your budget allows.');
      expect((await amelia.get(`${t.baseUrl}/portal/requests`)).html).toContain('“Twenty is more than your budget allows.”');

      const summary = await staff.get(`${t.baseUrl}/portal-requests/summary`);
      expect(summary.status).toBe(200);
      expect(summary.html).toContain('Licence portal: 0 requests waiting, 4 decisions');
      expect(summary.html).toContain('Adatum Corporation — Power BI Pro: add seats, 12 → 20. Rejected by Contoso Admin');
      const text = await staff.get(`${t.baseUrl}/portal-requests/summary.txt`);
      expect(text.status).toBe(200);
      expect(text.html).toMatch(/^Subject: Licence portal: 0 requests waiting, 4 decisions/);
      expect(text.html).toContain(
        'Adatum Corporation — Microsoft 365 E3: remove seats at renewal, 50 → 48. Scheduled for renewal (approved by Contoso Admin',
      );
    });

    it('calls off a scheduled reduction in Partner Center too when the partner rejects it', async () => {
      const scheduled = (await requestsOf(e3)).find((r) => r.status === 'scheduled')!;
      await decide(scheduled.id, 'reject', 'We keep the seats after all.');
      expect((await requestsOf(e3)).find((r) => r.id === scheduled.id)).toMatchObject({
        status: 'rejected',
        result: 'The scheduled reduction was called off.',
      });
      expect(await partnerCenterSubscription(e3)).toMatchObject({ quantity: 50, scheduledNextTermInstructions: null });
    });

    it('shows a change Partner Center accepted for later (202) as pending on both sides, and the follow-up job settles it once it reads back changed', async () => {
      // Adatum's E3 answers quantity changes with 202 Accepted (DEMO_QUIRKS.contoso.changesAcceptedLater).
      expect((await requestChange(amelia, e3, 'increase', 52)).status).toBe(303);
      const request = (await requestsOf(e3)).find((r) => r.status === 'pending')!;
      const tenantPage = await decide(request.id, 'approve');
      expect(tenantPage.html).toContain(
        'Pending in Partner Center: Adatum Corporation — Microsoft 365 E3 (50 → 52 seats). Partner Center accepted the change from 50 to 52 seats and is still making it.',
      );
      const row = (
        await db<{ status: string; partner_center_pending_since: Date | null }>(
          'select status, partner_center_pending_since from portal_change_requests where id = $1',
          [request.id],
        )
      )[0];
      expect(row.status).toBe('applying');
      expect(row.partner_center_pending_since).not.toBeNull();
      expect(await partnerCenterQuantity(e3)).toBe(50);
      expect((await amelia.get(`${t.baseUrl}/portal`)).html).toMatch(
        new RegExp(`<tr data-subscription="${e3}">[\\s\\S]*?Pending in Partner Center[\\s\\S]*?</tr>`),
      );
      expect((await staff.get(`${t.baseUrl}/tenants/${ADATUM}/portal`)).html).toContain('Pending in Partner Center');

      // The follow-up job's work (portal.settle-changes, every ten minutes), run here in its own context.
      const settle = () => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(SettleChangesUseCase).execute());
      // Not made yet: the job leaves it pending (never failed) and sends nothing again.
      expect(await settle()).toEqual({ applied: 0, settled: 0 });
      expect((await requestsOf(e3)).find((r) => r.id === request.id)!.status).toBe('applying');
      // Partner Center makes it (a minute later on the local Microsoft's clock); the next run settles it.
      await emulatorControl(t, 'clock', { advanceSeconds: 61 });
      expect(await settle()).toEqual({ applied: 0, settled: 1 });
      expect((await requestsOf(e3)).find((r) => r.id === request.id)).toMatchObject({ status: 'applied', applied_quantity: 52 });
      expect(await partnerCenterQuantity(e3)).toBe(52);
      expect((await amelia.get(`${t.baseUrl}/portal/requests`)).html).toMatch(
        new RegExp(`data-request="${request.id}" data-status="applied"`),
      );
    });
  });
});

// The path of a redirect (the browser makes it absolute).
function pathOf(location: string | undefined): string | undefined {
  return location === undefined ? undefined : new URL(location, 'http://app').pathname;
}

// The test kit's view of the app's emulator, for reading Partner Center as the partner.
function emulatorEnv(t: TestApp): TestEmulator {
  const app = sync365DemoApp(t.baseUrl);
  return { emulator: t.emulator, url: t.emulator.url, app, redirectUri: app.redirectUris[0] };
}
