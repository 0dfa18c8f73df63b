import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { startDemoInbox, type DemoInbox } from '../../src/config/demo-environment';
import { EvaluateAlertsUseCase } from '../../src/modules/alerts/application/evaluate-alerts.use-case';
import { PlanAlertEmailsUseCase } from '../../src/modules/alerts/application/plan-alert-emails.use-case';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { EmulatorBrowser as Browser } from '../../libs/microsoft-emulator/src';
import { csrfTokenOf, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const CONTOSO_ADMIN = 'admin@contoso-partners.example';

interface AlertRow {
  id: string;
  key: string;
  rule: string;
  severity: string;
  tenant_name: string | null;
  title: string;
  resolved_at: Date | null;
  acknowledged_by_name: string | null;
}

interface Mail {
  id: string;
  subject: string;
  to: { address: string }[];
  text: string;
  html: string;
  headers: Record<string, string>;
}

describe('alerts: the demo’s alerts in the alert centre and by e-mail (e2e through the local Microsoft and a local MailDev)', () => {
  let inbox: DemoInbox;
  let t: TestApp;
  let second: TestApp | undefined;
  let contoso: EmulatorBrowser;
  let organizationId: string;
  let receiver: WebhookReceiver;

  const url = (path: string) => `${t.baseUrl}${path}`;
  const openAlerts = () =>
    t.query<AlertRow>(
      'select id, key, rule, severity, tenant_name, title, resolved_at, acknowledged_by_name from alerts where organization_id = $1 and resolved_at is null order by key',
      [organizationId],
    );
  // Use cases as a job runs them: in a request context of the app's own.
  const evaluate = (app: TestApp) =>
    RequestContext.create(app.app.get(MikroORM).em, () => app.app.get(EvaluateAlertsUseCase).execute(organizationId));
  const plan = (app: TestApp) =>
    RequestContext.create(app.app.get(MikroORM).em, () => app.app.get(PlanAlertEmailsUseCase).execute(organizationId));
  const mails = async (): Promise<Mail[]> => (await (await fetch(`${inbox.webUrl}/email`)).json()) as Mail[];

  beforeAll(async () => {
    inbox = await startDemoInbox({ smtpPort: await freePort(), webPort: await freePort() });
    t = await startTestApp({ smtpUrl: inbox.smtpUrl });
    contoso = await signInToDashboard(t, CONTOSO_ADMIN);
    [{ organization_id: organizationId }] = await t.query<{ organization_id: string }>('select organization_id from staff_users limit 1');
    // A partner system that wants alert.opened and alert.resolved, added before anything is connected.
    receiver = await startWebhookReceiver();
    const cookie = Object.entries(contoso.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const fields: [string, string][] = [
      ['_csrf', await csrfTokenOf(t, contoso, '/settings/webhooks')],
      ['url', `${receiver.url}/hooks`],
      ['events', 'alert.opened'],
      ['events', 'alert.resolved'],
    ];
    const added = await fetch(url('/settings/webhooks'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    expect(added.status).toBe(201);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await inbox?.close();
    await receiver?.close();
  });

  it('shows a clear empty alert centre before anything is connected', async () => {
    const page = await contoso.get(url('/alerts'));
    expect(page.status).toBe(200);
    expect(page.html).toContain('Nothing needs your attention');
    expect(page.html).toMatch(/<a class="tabs__item is-active" href="\/alerts" aria-current="page">Alerts<\/a>/);
  });

  it('opens the demo’s alerts after consent and the import: over-assigned Coho Winery (critical), Trey Research’s expired GDAP, Fourth Coffee’s missing role', async () => {
    expect((await grantConsent(t, contoso, 's365@contoso-partners.example')).status).toBe(303);
    await eventually(async () => {
      const rules = new Set((await openAlerts()).map((a) => `${a.rule}|${a.tenant_name}`));
      expect([...rules]).toEqual(
        expect.arrayContaining(['over-assigned|Coho Winery', 'gdap-expired|Trey Research', 'gdap-missing-role|Fourth Coffee']),
      );
    }, 120_000);
    const alerts = await openAlerts();
    expect(alerts.find((a) => a.rule === 'over-assigned')).toMatchObject({ severity: 'critical', tenant_name: 'Coho Winery' });
    expect(alerts.find((a) => a.rule === 'over-assigned')!.title).toContain('over-assigned by 3');
    // One alert per key: the unique open-key index holds.
    expect(new Set(alerts.map((a) => a.key)).size).toBe(alerts.length);

    const page = await contoso.get(url('/alerts'));
    expect(page.html).toContain('Coho Winery');
    expect(page.html).toContain('over-assigned by 3');
    expect(page.html).toMatch(/data-severity="critical"/);
    expect(page.html).toContain('Buy 3 more seats');
    expect(page.html).not.toContain('Nothing needs your attention');
  });

  it('publishes alert.opened for each opened alert, once', async () => {
    const events = await t.query<{ payload: { key: string } }>(
      `select payload from outbox_messages where event_name = 'alerts.alert-opened' and organization_id = $1`,
      [organizationId],
    );
    const keys = events.map((e) => e.payload.key);
    expect(keys).toEqual(expect.arrayContaining((await openAlerts()).map((a) => a.key)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('delivers alert.opened webhooks with the alert’s severity, customer and what to do', async () => {
    await eventually(() => {
      const coho = receiver.received
        .filter((w) => w.headers['sync365-event'] === 'alert.opened')
        .map(
          (w) => JSON.parse(w.rawBody) as { type: string; data: { rule: string; tenantName: string; severity: string; action: string } },
        );
      expect(coho.find((w) => w.data.rule === 'over-assigned')).toMatchObject({
        type: 'alert.opened',
        data: { tenantName: 'Coho Winery', severity: 'critical', action: expect.stringContaining('Buy 3 more seats') },
      });
    }, 60_000);
  });

  it('mails the admin one immediate mail for the critical alert and one digest of the rest, with links back to the app and per-rule unsubscribe links', async () => {
    let immediate: Mail | undefined;
    let digest: Mail | undefined;
    await eventually(async () => {
      const all = await mails();
      immediate = all.find((m) => m.subject.startsWith('[Sync 365] Critical'));
      digest = all.find((m) => m.subject.includes('alert digest'));
      expect(immediate).toBeDefined();
      expect(digest).toBeDefined();
    }, 60_000);
    const all = await mails();
    expect(all.filter((m) => m.subject.startsWith('[Sync 365] Critical'))).toHaveLength(1);
    expect(all.filter((m) => m.subject.includes('alert digest'))).toHaveLength(1);
    const [row] = await t.query<{ recipient: string }>('select recipient from alert_emails where organization_id = $1 limit 1', [
      organizationId,
    ]);
    expect(immediate!.to.map((a) => a.address)).toEqual([row.recipient]);
    expect(immediate!.subject).toContain('Coho Winery');
    expect(immediate!.text).toContain(`${t.baseUrl}/alerts#alert-`);
    expect(immediate!.html).toContain(`href="${t.baseUrl}/alerts`);
    expect(digest!.text).toContain('Trey Research');
    expect(digest!.text).toContain('Fourth Coffee');
    expect(digest!.text).not.toContain('Coho Winery: Microsoft');
    expect(digest!.text).toMatch(
      /Stop mails about "GDAP relationship expired or missing": http:\/\/127\.0\.0\.1:\d+\/alerts\/unsubscribe\?token=/,
    );
    expect(immediate!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/alerts\/unsubscribe\?token=/);
    // Nothing more is sent by another evaluation the same day.
    await evaluate(t);
    expect(await plan(t)).toBe(0);
  });

  it('unsubscribes from one rule through the signed link, without signing in', async () => {
    const digest = (await mails()).find((m) => m.subject.includes('alert digest'))!;
    const link = /Stop mails about "GDAP relationship expired or missing": (\S+)/.exec(digest.text)![1];
    const stranger = new Browser();
    const page = await stranger.get(link);
    expect(page.status).toBe(200);
    const form = page.forms.find((f) => f.action.endsWith('/alerts/unsubscribe'))!;
    const done = await stranger.submit(form);
    expect(done.status).toBe(200);
    expect(done.html).toContain('You will no longer get e-mail about “GDAP relationship expired or missing”');
    const [prefs] = await t.query<{ unsubscribed_rules: string[] }>(
      'select unsubscribed_rules from alert_email_preferences where organization_id = $1',
      [organizationId],
    );
    expect(prefs.unsubscribed_rules).toEqual(['gdap-expired']);
    // A forged token is refused.
    const forged = await stranger.submit(form, { token: `${form.fields.token.split('.')[0]}.forged` });
    expect(forged.status).toBe(422);
    expect(forged.html).toContain('This unsubscribe link is not valid');
  });

  it('acknowledges an alert and mutes another with a reason and an end date, both audited', async () => {
    const alerts = await openAlerts();
    const coho = alerts.find((a) => a.rule === 'over-assigned')!;
    const trey = alerts.find((a) => a.rule === 'gdap-expired' && a.tenant_name === 'Trey Research')!;
    const csrf = await csrfTokenOf(t, contoso, '/alerts');
    expect((await contoso.post(url(`/alerts/${coho.id}/acknowledge`), { _csrf: csrf })).status).toBe(303);
    expect((await openAlerts()).find((a) => a.id === coho.id)!.acknowledged_by_name).toBeTruthy();

    const refused = await contoso.post(url(`/alerts/${trey.id}/mute`), { _csrf: csrf, scope: 'alert', reason: '', until: '' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Say why the alert is muted.');
    const muted = await contoso.post(url(`/alerts/${trey.id}/mute`), {
      _csrf: csrf,
      scope: 'alert',
      reason: 'Customer is leaving at the end of the month',
      until: '2099-01-31',
    });
    expect(muted.status).toBe(303);
    const page = await contoso.get(url('/alerts'));
    const mutedSection = page.html.slice(page.html.indexOf('id="muted"'));
    expect(mutedSection).toContain('Customer is leaving at the end of the month');
    expect(page.html).toContain('Acknowledged by');

    const audit = await t.query<{ action: string; subject: string; detail: string }>(
      `select action, subject, detail from audit_entries where organization_id = $1 and action like 'alerts.%' order by occurred_at`,
      [organizationId],
    );
    expect(audit.map((a) => a.action)).toEqual(['alerts.unsubscribed', 'alerts.acknowledged', 'alerts.muted']);
    expect(audit[2].detail).toContain('Until 2099-01-31. Reason: Customer is leaving at the end of the month');
  });

  it('shows another organization none of these alerts and lets it change none of them', async () => {
    const northwind = await signInToDashboard(t, 'admin@northwind-partners.example');
    const page = await northwind.get(url('/alerts'));
    expect(page.html).toContain('Nothing needs your attention');
    expect(page.html).not.toContain('Coho Winery');
    const [alert] = await openAlerts();
    const csrf = await csrfTokenOf(t, northwind, '/alerts');
    expect((await northwind.post(url(`/alerts/${alert.id}/acknowledge`), { _csrf: csrf })).status).toBe(404);
    expect(
      (await northwind.post(url(`/alerts/${alert.id}/mute`), { _csrf: csrf, scope: 'alert', reason: 'Not mine to mute', until: '' }))
        .status,
    ).toBe(404);
    expect((await northwind.get(url(`/alerts/${alert.id}/mute`))).status).toBe(404);
  });

  it('resolves an alert when its rule is switched off, publishing alert.resolved, and keeps it in the history', async () => {
    const csrf = await csrfTokenOf(t, contoso, '/alerts/rules');
    const rules = await contoso.get(url('/alerts/rules'));
    const form = rules.forms.find((f) => f.action.endsWith('/alerts/rules'))!;
    // Every rule as it is, but over-assigned off.
    const fields: Record<string, string> = { ...form.fields, _csrf: csrf };
    delete fields['over-assigned.enabled'];
    expect((await contoso.post(url('/alerts/rules'), fields)).status).toBe(303);
    const { resolved } = await evaluate(t);
    expect(resolved.map((a) => a.rule)).toEqual(['over-assigned']);
    expect((await openAlerts()).some((a) => a.rule === 'over-assigned')).toBe(false);
    const events = await t.query(`select 1 from outbox_messages where event_name = 'alerts.alert-resolved' and organization_id = $1`, [
      organizationId,
    ]);
    expect(events).toHaveLength(1);
    const page = await contoso.get(url('/alerts'));
    expect(page.html.slice(page.html.indexOf('id="history"'))).toContain('Coho Winery');
    await eventually(() => {
      const resolvedHooks = receiver.received
        .filter((w) => w.headers['sync365-event'] === 'alert.resolved')
        .map((w) => JSON.parse(w.rawBody) as { data: { alertId: string; resolvedAt: string | null } });
      expect(resolvedHooks).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ alertId: resolved[0].id, resolvedAt: expect.any(String) }) }),
      ]);
    }, 60_000);
  });

  it('opens an alert once and mails it once when two app instances evaluate and plan at the same time', async () => {
    // Another instance of the same deployment: same database, Microsoft and secrets, its own port.
    second = await startTestApp({
      sharing: { database: t.database, emulator: t.emulator, config: t.config, baseUrl: `http://127.0.0.1:${await freePort()}` },
      smtpUrl: inbox.smtpUrl,
    });
    const csrf = await csrfTokenOf(t, contoso, '/alerts/rules');
    const form = (await contoso.get(url('/alerts/rules'))).forms.find((f) => f.action.endsWith('/alerts/rules'))!;
    expect((await contoso.post(url('/alerts/rules'), { ...form.fields, _csrf: csrf, 'over-assigned.enabled': 'on' })).status).toBe(303);
    const before = (await mails()).filter((m) => m.subject.startsWith('[Sync 365] Critical')).length;

    const outcomes = await Promise.all([evaluate(t), evaluate(second)]);
    expect(outcomes.flatMap((o) => o.opened).map((a) => a.rule)).toEqual(['over-assigned']);
    const open = (await openAlerts()).filter((a) => a.rule === 'over-assigned');
    expect(open).toHaveLength(1);
    const opened = await t.query<{ payload: { alertId: string } }>(
      `select payload from outbox_messages where event_name = 'alerts.alert-opened' and payload->>'alertId' = $1`,
      [open[0].id],
    );
    expect(opened).toHaveLength(1);

    const planned = await Promise.all([plan(t), plan(second)]);
    expect(planned[0] + planned[1]).toBe(1);
    await eventually(async () => {
      const rows = await t.query<{ state: string }>(`select state from alert_emails where dedupe_key = $1`, [open[0].id]);
      expect(rows).toEqual([{ state: 'sent' }]);
    }, 30_000);
    expect((await mails()).filter((m) => m.subject.startsWith('[Sync 365] Critical')).length).toBe(before + 1);
  });
});
