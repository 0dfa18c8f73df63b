import { DEMO_CUSTOMERS, DEMO_QUIRKS, ROLE_IDS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { sessionClient } from '../support/api-client';
import { emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

// FACTS.md §7a.3, app level: a customer whose GDAP gives the service account no licence-reading role has its licences
// shown as "Not readable: GDAP role missing" — never as 0, never as a failed tenant — on the customers list, the
// tenant page, the CSVs and the API; its subscriptions are still read; the reconciliation reports the notice and no
// false seat changes, also once the role is granted and the licences come back.
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const UNREADABLE = DEMO_QUIRKS.contoso.licencesUnreadable;

describe('rule: licences need GDAP — Sync 365 end to end against the local Microsoft', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const runs = () => db<{ id: string; tenants_failed: number }>('select id, tenants_failed from reconciliation_runs order by finished_at');
  async function runsSettled(count: number) {
    await eventually(async () => expect(await runs()).toHaveLength(count), 90_000);
    return (await runs())[count - 1];
  }
  const openOf = (runId: string) =>
    db<{ kind: string; tenant_id: string; title: string }>(
      'select kind, tenant_id, title from discrepancies where run_id = $1 and silenced_by is null',
      [runId],
    );

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    expect((await grantConsent(t, browser, 's365@contoso-partners.example')).status).toBe(303);
    [{ organization_id: organizationId }] = await db<{ organization_id: string }>('select organization_id from delegated_admins');
    await runsSettled(1);
  }, 150_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reads those tenants (not failed), with unknown counts and the reason, and their subscriptions', async () => {
    const rows = await db<{
      tenant_id: string;
      purchased: number | null;
      assigned: number | null;
      last_error: string | null;
      licences_unreadable: string | null;
    }>('select tenant_id, purchased, assigned, last_error, licences_unreadable from customer_tenants where organization_id = $1', [
      organizationId,
    ]);
    const unreadable = rows.filter((r) => r.licences_unreadable !== null);
    expect(unreadable.map((r) => r.tenant_id).sort()).toEqual(UNREADABLE.map(id).sort());
    for (const row of unreadable)
      expect(row).toMatchObject({
        purchased: null,
        assigned: null,
        last_error: null,
        licences_unreadable: expect.stringMatching(/^GDAP role missing: /),
      });
    for (const key of UNREADABLE) {
      expect((await db('select 1 from tenant_subscriptions where tenant_id = $1', [id(key)])).length).toBeGreaterThan(0);
    }
  });

  it('shows "Not readable: GDAP role missing" on the customers list and the tenant page, not as a failure and not as 0', async () => {
    const list = (await browser.get(`${t.baseUrl}/customers`)).html;
    expect(list.match(/data-licences-unreadable/g)).toHaveLength(UNREADABLE.length);
    const failed = (await browser.get(`${t.baseUrl}/customers?failed=1`)).html;
    for (const key of UNREADABLE) expect(failed).not.toContain(`data-failed-tenant="${id(key)}"`);

    const page = (await browser.get(`${t.baseUrl}/tenants/${id('southridge')}`)).html;
    expect(page).toContain('Licences Not readable: GDAP role missing');
    expect(page).toContain('Directory Readers, Global Reader, User Administrator or License Administrator');
    expect(page).toContain('id="subscriptions"');
    expect(page).not.toContain('0 purchased');
  });

  it('says so in the partner API instead of an empty list that reads as "no licences"', async () => {
    const api = sessionClient(t, browser);
    const trey = (await api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: id('trey') } } })).data;
    expect(trey).toEqual({ items: [], licencesReadable: false, licencesUnreadableReason: expect.stringMatching(/^GDAP role missing: /) });
    const readable = (await api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: id('adatum') } } })).data!;
    expect(readable).toMatchObject({ licencesReadable: true, licencesUnreadableReason: null });
    expect(readable.items.length).toBeGreaterThan(0);
  });

  it('reports the notice in the reconciliation, and no seat discrepancy or failure for those tenants', async () => {
    const [run] = await runs();
    expect(run.tenants_failed).toBe(0);
    const open = await openOf(run.id);
    for (const key of UNREADABLE) {
      expect(open.filter((d) => d.tenant_id === id(key)).map((d) => d.kind)).toContain('licences-unreadable');
      expect(open.filter((d) => d.tenant_id === id(key)).map((d) => d.kind)).not.toEqual(expect.arrayContaining(['tenant-unreadable']));
    }
    expect(
      await db('select 1 from licence_snapshots where run_id = $1 and tenant_id = any($2::uuid[])', [run.id, UNREADABLE.map(id)]),
    ).toEqual([]);
    const licencesPage = (await browser.get(`${t.baseUrl}/licensing`)).html;
    expect(licencesPage).toContain('Licences not readable (GDAP role missing)');
    const tenantPage = (await browser.get(`${t.baseUrl}/licensing/tenants/${id('trey')}`)).html;
    expect(tenantPage).toContain('licences not readable: GDAP role missing');
  });

  it('reads the licences once the role is granted, with no false "added" or "removed" changes, and closes the notice', async () => {
    const [relationship] = (await emulatorControl(t, `gdap-relationships?customerTenantId=${id('southridge')}`, undefined, 'GET')) as {
      id: string;
    }[];
    await emulatorControl(
      t,
      `gdap-relationships/${relationship.id}`,
      { accessAssignmentRoles: [ROLE_IDS.licenseAdministrator, ROLE_IDS.applicationAdministrator] },
      'PATCH',
    );

    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    const second = await runsSettled(2);

    const [southridge] = await db<{ purchased: number | null; licences_unreadable: string | null }>(
      'select purchased, licences_unreadable from customer_tenants where tenant_id = $1',
      [id('southridge')],
    );
    expect(southridge).toEqual({ purchased: 30, licences_unreadable: null });
    expect(await db('select kind from licensing_changes where run_id = $1 and tenant_id = $2', [second.id, id('southridge')])).toEqual([]);
    const open = await openOf(second.id);
    expect(open.filter((d) => d.tenant_id === id('southridge')).map((d) => d.kind)).not.toContain('licences-unreadable');
    expect(
      open
        .filter((d) => d.kind === 'licences-unreadable')
        .map((d) => d.tenant_id)
        .sort(),
    ).toEqual(['trey', 'wideworld'].map(id).sort());
  }, 150_000);
});
