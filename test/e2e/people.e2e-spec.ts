import { EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import { csrfTokenOf, signInToDashboard, throughMicrosoft } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const OWNER = 'admin@contoso-partners.example';
const COLLEAGUE = 'sales@contoso-partners.example';
const UNINVITED = 'nomfa@contoso-partners.example';
const OTHER_DIRECTORY = 'admin@fabrikam-reseller.example';

// Settings → People over HTTP: an Owner invites colleagues of the same Microsoft directory (the demo's Contoso
// directory has several users), sets and changes roles, removes people; the server refuses what a role may not do.
describe('people and roles (e2e over HTTP, through the local Microsoft)', () => {
  let t: TestApp;
  let owner: EmulatorBrowser;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signInToDashboard(t, OWNER);
  });
  afterAll(() => t.close());

  const me = async (browser: EmulatorBrowser) => JSON.parse((await browser.get(`${t.baseUrl}/api/me`)).html) as Record<string, string>;
  const audit = (action: string) =>
    t.query<{ subject: string; detail: string | null; actor_name: string }>(
      'select subject, detail, actor_name from audit_entries where action = $1 order by occurred_at',
      [action],
    );
  const invite = async (email: string, role: string) =>
    owner.post(`${t.baseUrl}/settings/people/invitations`, { _csrf: await csrfTokenOf(t, owner, '/settings/people'), email, role });
  // Signs in through the invitation link, as a colleague told to open it would; returns the app's answer to Microsoft's callback.
  async function signInWithLink(link: string, username: string) {
    const browser = new EmulatorBrowser();
    const opened = await browser.get(link);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('You are invited to use Sync 365 for <strong>Contoso Partners</strong> as Viewer');
    // Handlebars writes the link's '=' as an entity, as any HTML may.
    const signInUrl = /href="(\/auth\/login\?invitation(?:=|&#x3D;)[0-9a-f-]{36})"/.exec(opened.html)?.[1]?.replace('&#x3D;', '=');
    expect(signInUrl).toBeDefined();
    const login = await browser.get(`${t.baseUrl}${signInUrl}`);
    expect(login.status).toBe(302);
    const back = await signInThroughForms(browser, login.location!, { username });
    return { browser, answer: await browser.get(back.url) };
  }

  it('makes the first user of the directory its Owner', async () => {
    expect(await me(owner)).toMatchObject({ userPrincipalName: OWNER, role: 'owner' });
    const page = await owner.get(`${t.baseUrl}/settings/people`);
    expect(page.html).toMatch(new RegExp(`data-person="${OWNER}"[\\s\\S]*?The last Owner`));
  });

  it('invites a colleague by address: the page shows the link to give them, and the invitation is audited and published', async () => {
    const answer = await invite('Sales@Contoso-Partners.example', 'viewer');
    expect(answer.status).toBe(303);
    const page = await owner.get(`${t.baseUrl}/settings/people`);
    expect(page.html).toContain(`data-invitation="${COLLEAGUE}"`);
    const link = /data-invitation="sales@contoso-partners\.example"[\s\S]*?value="([^"]+)" data-invitation-link/.exec(page.html)?.[1];
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/auth/invitations/[0-9a-f-]{36}$`));
    expect(page.html).toContain('is invited as Viewer');
    expect(await audit('accounts.person-invited')).toEqual([
      expect.objectContaining({ subject: COLLEAGUE, detail: 'Invited as Viewer.', actor_name: 'Contoso Admin' }),
    ]);
    const events = await t.query<{ payload: Record<string, string> }>(
      `select payload from outbox_messages where event_name = 'accounts.invitation-created'`,
    );
    expect(events).toEqual([
      {
        payload: expect.objectContaining({
          email: COLLEAGUE,
          role: 'viewer',
          roleName: 'Viewer',
          organizationName: 'Contoso Partners',
          signInUrl: link,
        }),
      },
    ]);
  });

  it('refuses an invitation link opened with an account of another directory, in plain words, and creates nothing', async () => {
    const page = await owner.get(`${t.baseUrl}/settings/people`);
    const link = /value="([^"]+)" data-invitation-link/.exec(page.html)![1];
    const { answer } = await signInWithLink(link, OTHER_DIRECTORY);
    expect(answer.status).toBe(403);
    expect(answer.html).toContain('This invitation is for people of Contoso Partners');
    expect(answer.html).toContain('belongs to another directory');
    expect(answer.html).toContain('sign in with your Contoso Partners work account');
    expect(await t.query(`select 1 from organizations where name = 'Fabrikam Reseller'`)).toEqual([]);
  });

  it('refuses a colleague of the directory who was not invited, saying whom to ask', async () => {
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(t, browser, UNINVITED);
    const answer = await browser.get(back.url);
    expect(answer.status).toBe(403);
    expect(answer.html).toContain(`${UNINVITED} is not a member of Contoso Partners in Sync 365 yet`);
    expect(answer.html).toContain('Ask an Owner of Contoso Partners to invite');
    expect(await t.query(`select 1 from staff_users where user_principal_name = $1`, [UNINVITED])).toEqual([]);
  });

  let colleague: EmulatorBrowser;

  it('lets the invited colleague in at their first sign-in, with the invitation’s role, and uses the invitation up', async () => {
    const page = await owner.get(`${t.baseUrl}/settings/people`);
    const link = /value="([^"]+)" data-invitation-link/.exec(page.html)![1];
    const { browser, answer } = await signInWithLink(link, COLLEAGUE);
    expect(answer.status).toBe(303);
    colleague = browser;
    expect(await me(colleague)).toMatchObject({ userPrincipalName: COLLEAGUE, organizationName: 'Contoso Partners', role: 'viewer' });
    const after = await owner.get(`${t.baseUrl}/settings/people`);
    expect(after.html).toContain(`data-person="${COLLEAGUE}"`);
    expect(after.html).not.toContain(`data-invitation="${COLLEAGUE}"`);
    expect(await audit('accounts.invitation-accepted')).toEqual([
      expect.objectContaining({ subject: COLLEAGUE, actor_name: 'Contoso Sales' }),
    ]);
  });

  it('shows a Viewer the pages without the buttons, and refuses their form posts with a friendly page, changing nothing', async () => {
    const customers = await colleague.get(`${t.baseUrl}/customers/delegated-admins`);
    expect(customers.status).toBe(200);
    expect(customers.html).not.toContain('Grant Partner Center Consent</button>');
    const people = await colleague.get(`${t.baseUrl}/settings/people`);
    expect(people.html).not.toContain('action="/settings/people/invitations"');
    expect(people.html).not.toContain('Change role');
    const keys = await colleague.get(`${t.baseUrl}/settings/api-keys`);
    expect(keys.html).not.toContain('Create API key');
    // Billing and alerts: read, but no form that changes them.
    const billingSettings = await colleague.get(`${t.baseUrl}/settings/billing`);
    expect(billingSettings.html).not.toContain('Save settings</button>');
    expect(billingSettings.html).toContain('someone with the Billing, Admin or Owner role changes them');
    expect((await owner.get(`${t.baseUrl}/settings/billing`)).html).toContain('Save settings</button>');
    expect((await colleague.get(`${t.baseUrl}/billing/snapshots`)).html).not.toContain('action="/billing/snapshots"');
    expect((await owner.get(`${t.baseUrl}/billing/snapshots`)).html).toContain('action="/billing/snapshots"');
    expect((await colleague.get(`${t.baseUrl}/alerts/rules`)).html).not.toContain('Save rules</button>');
    expect((await owner.get(`${t.baseUrl}/alerts/rules`)).html).toContain('Save rules</button>');
    const psa = await colleague.get(`${t.baseUrl}/settings/billing/psa`);
    expect(psa.html).not.toContain('action="/settings/billing/psa/connect"');
    expect(psa.html).toContain('An Admin or Owner of your organization connects ConnectWise PSA or Autotask here.');
    expect((await owner.get(`${t.baseUrl}/settings/billing/psa`)).html).toContain('action="/settings/billing/psa/connect"');

    const csrf = await csrfTokenOf(t, colleague, '/settings/api-keys');
    const refused = await colleague.post(`${t.baseUrl}/settings/api-keys`, { _csrf: csrf, name: 'Sneaky', scopes: 'write:sync' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Your role in Sync 365 is Viewer, and this needs Admin or higher, so nothing was changed.');
    expect(refused.html).toContain('ask an Owner of your organization to change your role under Settings → People');
    expect(await t.query(`select 1 from api_keys where name = 'Sneaky'`)).toEqual([]);
    const selfPromotion = await colleague.post(`${t.baseUrl}/settings/people/invitations`, {
      _csrf: csrf,
      email: 'friend@contoso-partners.example',
      role: 'owner',
    });
    expect(selfPromotion.status).toBe(403);
    expect(await t.query(`select 1 from staff_invitations where email = 'friend@contoso-partners.example'`)).toEqual([]);
    // The API with the session is refused the same way, as problem JSON.
    const api = await fetch(`${t.baseUrl}/api/v1/import-runs`, {
      method: 'POST',
      headers: {
        cookie: Object.entries(colleague.cookies(t.baseUrl))
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
        'x-csrf-token': csrf,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ code: 'ACCOUNTS.ROLE_FORBIDDEN', status: 403 });
  });

  it('lets the Owner change a role (from the next request on, audited), and never demote or remove the last Owner', async () => {
    const { userId } = await me(colleague);
    const csrf = await csrfTokenOf(t, owner, '/settings/people');
    expect((await owner.post(`${t.baseUrl}/settings/people/${userId}/role`, { _csrf: csrf, role: 'billing' })).status).toBe(303);
    expect(await me(colleague)).toMatchObject({ role: 'billing' });
    expect(await audit('accounts.role-changed')).toEqual([expect.objectContaining({ subject: COLLEAGUE, detail: 'Viewer → Billing.' })]);

    const self = (await me(owner)).userId;
    const demote = await owner.post(`${t.baseUrl}/settings/people/${self}/role`, { _csrf: csrf, role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.html).toContain('This is the organization’s last Owner, so their role cannot be changed.');
    const remove = await owner.post(`${t.baseUrl}/settings/people/${self}/remove`, { _csrf: csrf });
    expect(remove.status).toBe(409);
    expect(remove.html).toContain('last Owner, so they cannot be removed');
    expect(await me(owner)).toMatchObject({ role: 'owner' });
  });

  it('refuses an invitation of someone already a member, and of something that is not an address, beside the field', async () => {
    const member = await invite(COLLEAGUE, 'admin');
    expect(member.status).toBe(409);
    expect(member.html).toContain(`${COLLEAGUE} is already a member of your organization.`);
    const notAnAddress = await invite('not an address', 'viewer');
    expect(notAnAddress.status).toBe(400);
    expect(notAnAddress.html).toContain('That is not an e-mail address.');
    expect(notAnAddress.html).toContain('value="not an address"');
  });

  it('removes a person: their session ends at once, and signing in again needs a new invitation', async () => {
    const { userId } = await me(colleague);
    const csrf = await csrfTokenOf(t, owner, '/settings/people');
    const confirm = await owner.get(`${t.baseUrl}/settings/people/${userId}/remove`);
    expect(confirm.html).toContain('Remove Contoso Sales?');
    expect((await owner.post(`${t.baseUrl}/settings/people/${userId}/remove`, { _csrf: csrf })).status).toBe(303);
    const next = await colleague.get(`${t.baseUrl}/customers`);
    expect(next.status).toBe(303);
    expect(next.location).toContain('/auth/sign-in');
    expect(await audit('accounts.person-removed')).toEqual([expect.objectContaining({ subject: COLLEAGUE })]);

    const again = new EmulatorBrowser();
    const back = await throughMicrosoft(t, again, COLLEAGUE);
    expect((await again.get(back.url)).status).toBe(403);
  });

  it('lets an Owner withdraw an open invitation, after which it no longer lets anyone in', async () => {
    await invite(UNINVITED, 'admin');
    const page = await owner.get(`${t.baseUrl}/settings/people`);
    const id = /action="\/settings\/people\/invitations\/([0-9a-f-]{36})\/withdraw"/.exec(page.html)![1];
    expect(
      (
        await owner.post(`${t.baseUrl}/settings/people/invitations/${id}/withdraw`, {
          _csrf: await csrfTokenOf(t, owner, '/settings/people'),
        })
      ).status,
    ).toBe(303);
    expect(await audit('accounts.invitation-withdrawn')).toEqual([expect.objectContaining({ subject: UNINVITED })]);
    const withdrawn = await new EmulatorBrowser().get(`${t.baseUrl}/auth/invitations/${id}`);
    expect(withdrawn.html).toContain('This invitation was already used, withdrawn, or is older than 14 days.');
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(t, browser, UNINVITED);
    expect((await browser.get(back.url)).status).toBe(403);
  });
});
