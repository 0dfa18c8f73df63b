import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMERS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { WebhookDeliveryOptions } from '../../src/modules/webhooks';
import { RecordEventDeliveriesUseCase } from '../../src/modules/webhooks/application/record-event-deliveries.use-case';
import { Transaction } from '../../src/shared/application/transaction';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';
import { signatureVerifies, startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver';

const CONTOSO_ADMIN = 'admin@contoso-partners.example';
const NORTHWIND_ADMIN = 'admin@northwind-partners.example';
const ALL_EVENTS = [
  'licensing.quantity-changed',
  'licensing.discrepancy-opened',
  'licensing.discrepancy-closed',
  'tenants.import-finished',
  'consent.reconsent-needed',
  'licensing.licence-changed',
  'portal.change-requested',
  'portal.change-decided',
  'portal.change-completed',
  'billing.preview-changed',
  'billing.approval-needed',
  'alert.opened',
  'alert.resolved',
  'billing.psa-sync-completed',
  'billing.psa-sync-failed',
];

interface DeliveryRow {
  id: string;
  event_type: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  body: string;
}

// Short waits between attempts: a retry takes a second here instead of ten.
function shortenRetries(app: TestApp): void {
  app.app.get(WebhookDeliveryOptions).retryDelaysSeconds = [1, 1];
}

describe('webhooks: signed deliveries of real events to a partner’s https receiver (e2e through the local Microsoft)', () => {
  let t: TestApp;
  let first: TestApp;
  let receiver: WebhookReceiver;
  let otherReceiver: WebhookReceiver;
  let contoso: EmulatorBrowser;
  let northwind: EmulatorBrowser;
  let secret: string;
  let endpointId: string;
  let organizationId: string;

  beforeAll(async () => {
    t = first = await startTestApp();
    shortenRetries(t);
    [receiver, otherReceiver] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
    contoso = await signInToDashboard(t, CONTOSO_ADMIN);
    northwind = await signInToDashboard(t, NORTHWIND_ADMIN);
  });
  afterAll(async () => {
    if (t !== first) await t.close();
    await first?.close();
    await receiver?.close();
    await otherReceiver?.close();
  });

  const url = (path: string) => `${t.baseUrl}${path}`;
  const deliveries = (eventType?: string) =>
    t.query<DeliveryRow>(
      `select id, event_type, state, attempts, last_status, last_error, body from webhook_deliveries where endpoint_id = $1 ${eventType ? 'and event_type = $2' : ''} order by created_at`,
      eventType ? [endpointId, eventType] : [endpointId],
    );
  const receivedOf = (eventType: string, from = receiver) => from.received.filter((w) => w.headers['sync365-event'] === eventType);

  // The add form has one checkbox per event; the test browser sends one value per name, so the form goes by fetch.
  async function addWebhook(browser: EmulatorBrowser, fields: [string, string][]): Promise<{ status: number; html: string }> {
    const cookie = Object.entries(browser.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const response = await fetch(url('/settings/webhooks'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text() };
  }

  it('adds a webhook on Settings → Webhooks: https only, every event by default, the secret shown once and stored only encrypted', async () => {
    const page = await contoso.get(url('/settings/webhooks'));
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sync365-Signature');
    const form = page.forms.find((f) => f.action.endsWith('/settings/webhooks'))!;
    expect(form).toBeDefined();
    for (const type of ALL_EVENTS) expect(page.html).toMatch(new RegExp(`name="events" value="${type}" checked`));

    const csrf = await csrfTokenOf(t, contoso, '/settings/webhooks');
    const refused = await addWebhook(contoso, [
      ['_csrf', csrf],
      ['url', `http://127.0.0.1:9/hooks`],
      ['events', ALL_EVENTS[0]],
    ]);
    expect(refused.status).toBe(422);
    // The same page, not an error page: what was typed and ticked is still there, the reason beside the URL field.
    expect(refused.html).toContain('value="http://127.0.0.1:9/hooks" aria-invalid="true" aria-describedby="webhook-url-error"');
    expect(refused.html).toMatch(/<span class="field-error" id="webhook-url-error">Webhook URLs must start with https:\/\/\./);
    expect(refused.html).toMatch(new RegExp(`name="events" value="${ALL_EVENTS[0]}" checked`));
    expect(refused.html).not.toMatch(new RegExp(`name="events" value="${ALL_EVENTS[1]}" checked`));
    const noEvents = await addWebhook(contoso, [
      ['_csrf', csrf],
      ['url', `${receiver.url}/sync365/hooks`],
    ]);
    expect(noEvents.status).toBe(422);
    expect(noEvents.html).toContain('<fieldset class="webhook-events" aria-describedby="webhook-events-error">');
    expect(noEvents.html).toContain(`value="${receiver.url}/sync365/hooks"`);
    expect(await t.query('select 1 from webhook_endpoints')).toHaveLength(0);

    const added = await addWebhook(contoso, [
      ['_csrf', csrf],
      ['url', `${receiver.url}/sync365/hooks`],
      ...ALL_EVENTS.map((e): [string, string] => ['events', e]),
    ]);
    expect(added.status).toBe(201);
    secret = /id="webhook-secret"[^>]*value="(whsec_[^"]+)"/.exec(added.html)?.[1] ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(added.html).toContain('will not show it again');

    const [row] = await t.query<{ id: string; organization_id: string; events: string[]; secret_ciphertext: string }>(
      'select id, organization_id, events, secret_ciphertext from webhook_endpoints',
    );
    ({ id: endpointId, organization_id: organizationId } = row);
    expect(row.events).toEqual(ALL_EVENTS);
    expect(row.secret_ciphertext).toMatch(/^v1\./);
    expect(row.secret_ciphertext).not.toContain(secret.slice(6));

    const list = await contoso.get(url('/settings/webhooks'));
    expect(list.html).toContain(`${receiver.url}/sync365/hooks`);
    expect(list.html).toContain('No deliveries yet');
    expect(list.html).not.toContain(secret);
    expect((await contoso.get(url(`/settings/webhooks/${endpointId}`))).html).not.toContain(secret);
    expect(t.logs.some((line) => line.includes(secret))).toBe(false);
    expect(await t.query('select action from audit_entries where action = $1', ['webhooks.endpoint-added'])).toHaveLength(1);

    // Another organization's webhook, for every event too.
    const otherCsrf = await csrfTokenOf(t, northwind, '/settings/webhooks');
    expect(
      (
        await addWebhook(northwind, [
          ['_csrf', otherCsrf],
          ['url', `${otherReceiver.url}/hooks`],
          ...ALL_EVENTS.map((e): [string, string] => ['events', e]),
        ])
      ).status,
    ).toBe(201);
  });

  it('delivers tenants.import-finished when an import really finishes, as a signed summary that verifies with the secret', async () => {
    expect((await grantConsent(t, contoso, 's365@contoso-partners.example')).status).toBe(303);

    await eventually(() => expect(receivedOf('tenants.import-finished')).toHaveLength(1), 90_000);
    const [webhook] = receivedOf('tenants.import-finished');
    expect(webhook.path).toBe('/sync365/hooks');
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(signatureVerifies(webhook, secret)).toBe(true);
    expect(signatureVerifies(webhook, `${secret}x`)).toBe(false);
    expect(signatureVerifies({ ...webhook, rawBody: webhook.rawBody.replace('"completed"', '"failed"') }, secret)).toBe(false);

    const body = JSON.parse(webhook.rawBody) as {
      id: string;
      type: string;
      createdAt: string;
      organizationId: string;
      data: Record<string, unknown>;
    };
    expect(Object.keys(body)).toEqual(['id', 'type', 'createdAt', 'organizationId', 'data']);
    expect(body).toMatchObject({ type: 'tenants.import-finished', organizationId });
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    expect(body.data).toMatchObject({
      trigger: 'consent',
      status: 'completed',
      tenantsTotal: 25,
      tenantsRead: 25,
      tenantsFailed: 0,
      failedTenants: [],
      failedTenantsOmitted: 0,
    });
    expect(body.data).not.toHaveProperty('tenants');
    // The event id is the integration event's; the delivery id is this delivery's row.
    expect(
      await t.query('select 1 from outbox_messages where id = $1 and event_name = $2', [body.id, 'tenants.import-finished']),
    ).toHaveLength(1);
    const [row] = await deliveries('tenants.import-finished');
    expect(webhook.headers['sync365-delivery']).toBe(row.id);
    await eventually(async () =>
      expect((await deliveries('tenants.import-finished'))[0]).toMatchObject({ state: 'delivered', attempts: 1, last_status: 200 }),
    );

    // The reconciliation that follows the import opens its first discrepancies: they are delivered too.
    await eventually(() => expect(receivedOf('licensing.discrepancy-opened').length).toBeGreaterThan(0), 60_000);
    expect(receivedOf('licensing.discrepancy-opened').every((w) => signatureVerifies(w, secret))).toBe(true);
  });

  it('delivers licensing.quantity-changed when a reconciliation finds a seat count changed in Microsoft', async () => {
    const adatum = DEMO_CUSTOMERS.adatum.id;
    const subscriptions = await t.query<{ subscription_id: string; offer_name: string }>(
      'select subscription_id, offer_name from tenant_subscriptions where tenant_id = $1',
      [adatum],
    );
    const e3 = subscriptions.find((s) => /E3/.test(s.offer_name))!.subscription_id;
    await emulatorControl(t, `customers/${adatum}/subscriptions/${e3}`, { quantity: 55 }, 'PATCH');
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);

    // Waits for the run and for every one of its seat changes to be delivered, not for the first webhook to arrive:
    // deliveries go out side by side, so which arrives first says nothing.
    const seatChanges = async () => {
      const [run] = await t.query<{ id: string }>(`select id from reconciliation_runs where organization_id = $1 and trigger = 'manual'`, [
        organizationId,
      ]);
      if (!run) return null;
      return t.query<{ id: string }>(
        `select id from licensing_changes where run_id = $1 and kind in ('sku.purchased-changed', 'sku.assigned-changed', 'subscription.quantity-changed')`,
        [run.id],
      );
    };
    type Change = { data: { tenantId: string; kind: string; before: unknown; after: unknown; delta: number; changeId: string } };
    const receivedChanges = () => receivedOf('licensing.quantity-changed').map((w) => JSON.parse(w.rawBody) as Change);
    await eventually(async () => {
      const expected = await seatChanges();
      expect(expected).not.toBeNull();
      expect(
        receivedChanges()
          .map((c) => c.data.changeId)
          .sort(),
      ).toEqual(expected!.map((c) => c.id).sort());
    }, 90_000);
    // One seat change in Microsoft is one change (changes.ts): the subscription's, never also its SKU's.
    expect(
      receivedChanges()
        .filter((c) => c.data.tenantId === adatum)
        .map((c) => c.data),
    ).toEqual([expect.objectContaining({ tenantId: adatum, kind: 'subscription.quantity-changed', before: 50, after: 55, delta: 5 })]);
    expect(receivedOf('licensing.quantity-changed').every((w) => signatureVerifies(w, secret))).toBe(true);
  });

  it('delivers licensing.licence-changed when a reconciliation finds a subscription suspended in Microsoft', async () => {
    const lamna = DEMO_CUSTOMERS.lamna.id;
    const subscriptions = await t.query<{ subscription_id: string; offer_name: string }>(
      'select subscription_id, offer_name from tenant_subscriptions where tenant_id = $1',
      [lamna],
    );
    const e5 = subscriptions.find((s) => /E5/.test(s.offer_name))!.subscription_id;
    await emulatorControl(t, `customers/${lamna}/subscriptions/${e5}`, { status: 'suspended' }, 'PATCH');
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);

    type Change = { data: { tenantId: string; subscriptionId: string | null; kind: string; before: unknown; after: unknown } };
    const suspensions = () =>
      receivedOf('licensing.licence-changed')
        .map((w) => JSON.parse(w.rawBody) as Change)
        .filter((c) => c.data.kind === 'subscription.suspended');
    await eventually(() => expect(suspensions()).toHaveLength(1), 90_000);
    expect(suspensions()[0].data).toMatchObject({ tenantId: lamna, subscriptionId: e5, kind: 'subscription.suspended' });
    expect(receivedOf('licensing.licence-changed').every((w) => signatureVerifies(w, secret))).toBe(true);
  });

  it('retries a delivery the receiver fails: 500 twice, delivered on the third attempt, each attempt in the log', async () => {
    receiver.failNext('webhook.test', 2, 500);
    const page = await contoso.get(url(`/settings/webhooks/${endpointId}`));
    const sent = await contoso.submit(page.forms.find((f) => f.action.endsWith(`/settings/webhooks/${endpointId}/test`))!);
    expect(sent.status).toBe(303);

    await eventually(
      async () =>
        expect(await deliveries('webhook.test')).toEqual([expect.objectContaining({ state: 'delivered', attempts: 3, last_status: 200 })]),
      30_000,
    );
    const tests = receivedOf('webhook.test');
    expect(tests.map((w) => w.status)).toEqual([500, 500, 200]);
    // Each attempt is signed afresh, all with the same body and delivery id.
    expect(new Set(tests.map((w) => w.rawBody)).size).toBe(1);
    expect(new Set(tests.map((w) => w.headers['sync365-delivery'])).size).toBe(1);
    expect(tests.every((w) => signatureVerifies(w, secret))).toBe(true);

    const [test] = await deliveries('webhook.test');
    const attempts = await t.query<{ attempt: number; status: number; error: string | null }>(
      'select attempt, status, error from webhook_delivery_attempts where delivery_id = $1 order by attempt',
      [test.id],
    );
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(attempts[0].error).toContain('500');
    const detail = await contoso.get(url(`/settings/webhooks/${endpointId}/deliveries/${test.id}`));
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('The endpoint answered 500');
    expect(detail.html).toContain('The receiver is having a bad day');
  });

  it('marks a delivery failed after its last attempt, and the log says why', async () => {
    receiver.failNext('webhook.test', 3, 503);
    const csrf = await csrfTokenOf(t, contoso, `/settings/webhooks/${endpointId}`);
    expect((await contoso.post(url(`/settings/webhooks/${endpointId}/test`), { _csrf: csrf })).status).toBe(303);
    await eventually(
      async () => expect((await deliveries('webhook.test'))[1]).toMatchObject({ state: 'failed', attempts: 3, last_status: 503 }),
      30_000,
    );
    const log = await contoso.get(url(`/settings/webhooks/${endpointId}`));
    expect(log.html).toMatch(/data-state="failed"/);
    expect(log.html).toContain('The endpoint answered 503');
  });

  it('redelivers from the log page: a new delivery of the same body with a fresh signature, audit logged', async () => {
    const [original] = await deliveries('tenants.import-finished');
    const log = await contoso.get(url(`/settings/webhooks/${endpointId}`));
    expect(log.html).toContain('Import finished');
    expect(log.html).toContain('Delivered');
    const form = log.forms.find((f) => f.action.endsWith(`/deliveries/${original.id}/redeliver`))!;
    expect(form.buttons.map((b) => b.label)).toContain('Redeliver');
    expect((await contoso.submit(form)).status).toBe(303);

    const byDelivery = (id: string) => receiver.received.find((w) => w.headers['sync365-delivery'] === id);
    let again: ReceivedWebhook | undefined;
    await eventually(async () => {
      const [row] = await t.query<{ id: string; body: string }>('select id, body from webhook_deliveries where redelivery_of = $1', [
        original.id,
      ]);
      expect(row?.body).toBe(original.body);
      again = byDelivery(row.id);
      expect(again).toBeDefined();
    }, 30_000);
    const firstDelivery = byDelivery(original.id)!;
    expect(again!.rawBody).toBe(firstDelivery.rawBody);
    expect(again!.headers['sync365-event']).toBe('tenants.import-finished');
    expect(again!.headers['sync365-signature']).not.toBe(firstDelivery.headers['sync365-signature']);
    expect(signatureVerifies(again!, secret)).toBe(true);
    expect(await t.query<{ subject: string }>('select subject from audit_entries where action = $1', ['webhooks.redelivered'])).toEqual([
      { subject: `${receiver.url}/sync365/hooks` },
    ]);
  });

  it("never sends an organization's events to another organization's endpoints, nor shows or redelivers them there", async () => {
    expect(otherReceiver.received).toHaveLength(0);
    const [original] = await deliveries('tenants.import-finished');
    const count = (await deliveries()).length;
    expect((await northwind.get(url(`/settings/webhooks/${endpointId}`))).status).toBe(404);
    expect((await northwind.get(url(`/settings/webhooks/${endpointId}/deliveries/${original.id}`))).status).toBe(404);
    const csrf = await csrfTokenOf(t, northwind, '/settings/webhooks');
    expect(
      (await northwind.post(url(`/settings/webhooks/${endpointId}/deliveries/${original.id}/redeliver`), { _csrf: csrf })).status,
    ).toBe(404);
    expect((await northwind.post(url(`/settings/webhooks/${endpointId}/remove`), { _csrf: csrf })).status).toBe(404);
    expect((await northwind.get(url('/settings/webhooks'))).html).not.toContain(receiver.url);
    expect(await deliveries()).toHaveLength(count);
  });

  it('rotates the secret: shown once, and the next delivery verifies with the new secret only', async () => {
    const confirm = await contoso.get(url(`/settings/webhooks/${endpointId}/rotate-secret`));
    const rotated = await contoso.submit(confirm.forms.find((f) => f.action.endsWith('/rotate-secret'))!);
    expect(rotated.status).toBe(200);
    const newSecret = /id="webhook-secret"[^>]*value="(whsec_[^"]+)"/.exec(rotated.html)?.[1] ?? '';
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);

    const before = receivedOf('webhook.test').length;
    const csrf = await csrfTokenOf(t, contoso, `/settings/webhooks/${endpointId}`);
    await contoso.post(url(`/settings/webhooks/${endpointId}/test`), { _csrf: csrf });
    await eventually(() => expect(receivedOf('webhook.test')).toHaveLength(before + 1));
    const latest = receivedOf('webhook.test').at(-1) as ReceivedWebhook;
    expect(signatureVerifies(latest, newSecret)).toBe(true);
    expect(signatureVerifies(latest, secret)).toBe(false);
    secret = newSecret;
  });

  it('loses nothing in a restart: a delivery waiting for its retry is delivered by the next app instance', async () => {
    receiver.failNext('webhook.test', 1, 500);
    // The retry an hour ahead, so it is surely still waiting (not being sent) when the process dies, however slow
    // the machine is.
    t.app.get(WebhookDeliveryOptions).retryDelaysSeconds = [3600, 1];
    const before = (await deliveries('webhook.test')).length;
    const csrf = await csrfTokenOf(t, contoso, `/settings/webhooks/${endpointId}`);
    await contoso.post(url(`/settings/webhooks/${endpointId}/test`), { _csrf: csrf });
    await eventually(
      async () => expect((await deliveries('webhook.test'))[before]).toMatchObject({ state: 'retrying', attempts: 1 }),
      30_000,
    );
    await t.kill();

    t = await startTestApp({ sharing: first });
    shortenRetries(t);
    // The hour passes: the delivery row and its queued job (both stored, nothing held in the dead process) are due.
    const [{ id: deliveryId }] = (await deliveries('webhook.test')).slice(before, before + 1);
    await t.query(`update webhook_deliveries set next_attempt_at = now() where id = $1`, [deliveryId]);
    expect(
      await t.query(
        `update pgboss.job set start_after = now() where name = 'webhooks.deliver' and singleton_key = $1 and state = 'created' returning id`,
        [deliveryId],
      ),
    ).toHaveLength(1);
    await eventually(
      async () => expect((await deliveries('webhook.test'))[before]).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 }),
      30_000,
    );
    const latest = receivedOf('webhook.test').at(-1) as ReceivedWebhook;
    expect(latest.status).toBe(200);
    expect(signatureVerifies(latest, secret)).toBe(true);
  });

  // The test app allows 127.0.0.1 and localhost (WEBHOOK_ALLOWED_HOSTS); without that, as in production, Sync 365
  // neither takes nor calls a private address, so a staff user cannot point webhooks at the app's own network.
  it('sends only to public internet addresses when no host is allowed: refused when added, tested or delivered', async () => {
    const options = t.app.get(WebhookDeliveryOptions);
    const allowedHosts = options.allowedHosts;
    expect(allowedHosts).toEqual(['127.0.0.1', 'localhost']);
    options.allowedHosts = [];
    try {
      const port = new URL(receiver.url).port;
      const csrf = await csrfTokenOf(t, contoso, '/settings/webhooks');
      for (const address of [
        `${receiver.url}/hooks`,
        `https://localhost:${port}/hooks`,
        `https://[::ffff:127.0.0.1]:${port}/hooks`,
        'https://169.254.169.254/latest/meta-data/',
        'https://10.0.0.8/hooks',
      ]) {
        const refused = await addWebhook(contoso, [
          ['_csrf', csrf],
          ['url', address],
          ['events', 'consent.reconsent-needed'],
        ]);
        expect([address, refused.status]).toEqual([address, 422]);
        expect(refused.html).toContain('Sync 365 only sends to public internet addresses');
      }
      expect(await t.query('select 1 from webhook_endpoints where organization_id = $1', [organizationId])).toHaveLength(1);

      // The webhook added while 127.0.0.1 was allowed: a test event is refused at once…
      const before = receiver.received.length;
      const deliveriesBefore = (await deliveries()).length;
      const testCsrf = await csrfTokenOf(t, contoso, `/settings/webhooks/${endpointId}`);
      const test = await contoso.post(url(`/settings/webhooks/${endpointId}/test`), { _csrf: testCsrf });
      expect(test.status).toBe(422);
      expect(test.html).toContain('Sync 365 only sends to public internet addresses');
      expect(await deliveries()).toHaveLength(deliveriesBefore);

      // …and an event's delivery fails on its first attempt, for good, without a connection to the receiver.
      const eventId = randomUUID();
      await t.app.get(Transaction).run(() =>
        t.app.get(RecordEventDeliveriesUseCase).execute({
          id: eventId,
          organizationId,
          occurredAt: new Date().toISOString(),
          type: 'consent.reconsent-needed',
          data: { delegatedAdminId: randomUUID() },
        }),
      );
      await eventually(
        async () =>
          expect(
            await t.query(
              'select state, attempts, last_status, last_error, next_attempt_at from webhook_deliveries where endpoint_id = $1 and event_id = $2',
              [endpointId, eventId],
            ),
          ).toEqual([
            {
              state: 'failed',
              attempts: 1,
              last_status: null,
              last_error: expect.stringContaining('resolves to a private network address, which Sync 365 does not send to'),
              next_attempt_at: null,
            },
          ]),
        30_000,
      );
      expect(receiver.received).toHaveLength(before);
      expect((await contoso.get(url(`/settings/webhooks/${endpointId}`))).html).toContain('private network address');
    } finally {
      options.allowedHosts = allowedHosts;
    }
  });

  it('removes a webhook after confirmation; its log goes with it', async () => {
    const confirm = await contoso.get(url(`/settings/webhooks/${endpointId}/remove`));
    expect(confirm.html).toContain('Remove this webhook?');
    const removed = await contoso.submit(confirm.forms.find((f) => f.action.endsWith('/remove'))!);
    expect(removed.status).toBe(303);
    expect(await t.query('select 1 from webhook_endpoints where id = $1', [endpointId])).toHaveLength(0);
    expect(await deliveries()).toHaveLength(0);
    expect((await contoso.get(url('/settings/webhooks'))).html).toContain(`was removed`);
  });
});
