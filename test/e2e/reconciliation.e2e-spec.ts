import { DEMO_CUSTOMERS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { ScheduleReconciliationsUseCase } from '../../src/modules/reconciliation/application/schedule-reconciliations.use-case';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { ShiftedClock } from '../../src/shared/testing/fakes';
import { emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const id = (key: string) => DEMO_CUSTOMERS[key].id;
const DAY = 24 * 60 * 60 * 1000;
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const POWER_BI_PRO = 'f8a1db68-be16-40ed-86d5-cb42ce701560';

interface RunRow {
  id: string;
  trigger: string;
  tenants_read: number;
  tenants_failed: number;
  changes: number;
  open_discrepancies: number;
}

describe('the licensing reconciliation: runs, changes, discrepancies, month end (e2e through the local Microsoft)', () => {
  let t: TestApp;
  let first: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;
  const clock = new ShiftedClock();

  beforeAll(async () => {
    t = first = await startTestApp({ clock });
    browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    expect((await grantConsent(t, browser, 's365@contoso-partners.example')).status).toBe(303);
    [{ organization_id: organizationId }] = await t.query<{ organization_id: string }>('select organization_id from delegated_admins');
    // The daily schedule stays out of the way (the clock jumps days ahead below) until the test that is about it.
    await t.query(
      `insert into reconciliation_schedules (organization_id, last_scheduled_on) values ($1, '2999-12-31') on conflict (organization_id) do update set last_scheduled_on = '2999-12-31'`,
      [organizationId],
    );
    await runsSettled(1);
  });
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      console.log(
        t.logs
          .filter((l) => l.includes('"level":50') || l.includes('"level":40'))
          .slice(0, 10)
          .join('\n'),
      );
    if (t !== first) await t.close();
    await first.close();
  });

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const runs = () => db<RunRow>('select * from reconciliation_runs order by finished_at');
  async function runsSettled(count: number): Promise<RunRow> {
    await eventually(async () => expect(await runs()).toHaveLength(count), 90_000);
    return (await runs())[count - 1];
  }
  const changesOf = (runId: string) =>
    db<{ kind: string; tenant_id: string; sku_id: string | null; before: string | null; after: string | null; delta: number | null }>(
      'select kind, tenant_id, sku_id, before, after, delta from licensing_changes where run_id = $1 order by tenant_id, kind',
      [runId],
    );
  const openOf = (runId: string) =>
    db<{ key: string; kind: string; tenant_id: string }>(
      'select key, kind, tenant_id from discrepancies where run_id = $1 and silenced_by is null order by key',
      [runId],
    );
  const subscriptionOf = async (tenant: string, offer: RegExp) =>
    (
      await db<{ subscription_id: string; offer_name: string }>(
        'select subscription_id, offer_name from tenant_subscriptions where tenant_id = $1',
        [id(tenant)],
      )
    ).find((s) => offer.test(s.offer_name))!.subscription_id;
  const runNow = () => t.app.get(RequestReconciliationUseCase).execute(organizationId);
  const events = (name: string) =>
    db<{ payload: Record<string, unknown> }>('select payload from outbox_messages where event_name = $1 order by occurred_at', [name]);

  it('takes the first run after the import as the baseline: a snapshot, no changes, the discrepancies that matter', async () => {
    const [run] = await runs();
    expect(run).toMatchObject({ trigger: 'consent', tenants_read: 25, tenants_failed: 0, changes: 0 });
    expect(await db('select 1 from licence_snapshots where run_id = $1', [run.id])).toHaveLength(
      Number((await db<{ n: string }>('select count(*) as n from tenant_licences'))[0].n),
    );
    const open = await openOf(run.id);
    const kinds = (tenant: string) => open.filter((d) => d.tenant_id === id(tenant)).map((d) => d.kind);
    expect(kinds('coho')).toContain('over-assigned');
    expect(kinds('margies')).toContain('not-sold-by-you');
    expect(kinds('citypower')).toContain('subscription-suspended');
    // Bought two days ago, annual: inside its cancellation window, so its spare seats can still be reduced.
    expect(kinds('bestforyou')).toContain('unassigned-seats');
    // Monthly, its month started 5 days ago: inside its 7-day window, so its spare seats can be reduced now.
    expect(kinds('bellows')).toContain('unassigned-seats');
    expect(run.open_discrepancies).toBe(open.length);
    // The import keeps what Partner Center says of new-commerce seat windows (FACTS §7a.4): Best For You's 15 seats
    // can all be reduced now, none of Adatum's E3.
    const refundable = async (tenant: string, offer: RegExp) =>
      (
        await db<{ offer_name: string; refundable_quantity: number | null; scheduled_quantity: number | null }>(
          'select offer_name, refundable_quantity, scheduled_quantity from tenant_subscriptions where tenant_id = $1',
          [id(tenant)],
        )
      ).find((s) => offer.test(s.offer_name));
    expect(await refundable('bestforyou', /Business Standard/)).toMatchObject({ refundable_quantity: 15, scheduled_quantity: null });
    expect(await refundable('adatum', /E3/)).toMatchObject({ refundable_quantity: 0, scheduled_quantity: null });
  });

  it('a second run after changes in Microsoft yields exactly those changes, as durable events, and the discrepancies that follow', async () => {
    const [baseline] = await runs();
    await emulatorControl(t, `customers/${id('adatum')}/subscriptions/${await subscriptionOf('adatum', /E3/)}`, { quantity: 55 }, 'PATCH');
    await emulatorControl(t, `customers/${id('woodgrove')}/subscribed-skus/${POWER_BI_PRO}`, { consumedUnits: 25 }, 'PATCH');
    await emulatorControl(
      t,
      `customers/${id('lamna')}/subscriptions/${await subscriptionOf('lamna', /E5/)}`,
      { status: 'suspended' },
      'PATCH',
    );
    await emulatorControl(t, `customers/${id('munson')}`, undefined, 'DELETE');
    await runNow();
    const run = await runsSettled(2);
    expect(run.trigger).toBe('manual');

    const changes = await changesOf(run.id);
    const seen = changes
      .map(
        (c) =>
          `${c.tenant_id === id('adatum') ? 'adatum' : c.tenant_id === id('woodgrove') ? 'woodgrove' : c.tenant_id === id('lamna') ? 'lamna' : c.tenant_id === id('munson') ? 'munson' : c.tenant_id} ${c.kind}`,
      )
      .sort();
    // Adatum's E3 quantity moved its purchased seats by as much: one change, the subscription's (changes.ts). Lamna's
    // suspension is no quantity change, so its SKU's purchased seats dropping is reported too.
    expect(seen).toEqual(
      [
        'adatum subscription.quantity-changed',
        'lamna sku.purchased-changed',
        'lamna subscription.suspended',
        'munson tenant.removed',
        'woodgrove sku.assigned-changed',
      ].sort(),
    );
    expect(changes.find((c) => c.kind === 'subscription.quantity-changed')).toMatchObject({ before: '50', after: '55', delta: 5 });
    expect(changes.find((c) => c.kind === 'sku.assigned-changed')).toMatchObject({
      sku_id: POWER_BI_PRO,
      before: '30',
      after: '25',
      delta: -5,
    });
    expect(changes.find((c) => c.tenant_id === id('lamna') && c.kind === 'sku.purchased-changed')).toMatchObject({
      sku_id: E5,
      before: '45',
      after: '0',
    });
    expect(changes.find((c) => c.tenant_id === id('adatum') && c.kind === 'subscription.quantity-changed')?.sku_id).toBe(E3);

    expect((await events('licensing.quantity-changed')).map((e) => e.payload.runId)).toEqual([run.id, run.id, run.id]);
    expect((await events('licensing.licence-changed')).map((e) => e.payload.kind).sort()).toEqual([
      'subscription.suspended',
      'tenant.removed',
    ]);

    // Woodgrove now has 5 Power BI Pro seats nobody uses; Lamna's suspension is a new problem; Munson is gone.
    const open = await openOf(run.id);
    expect(open.filter((d) => d.tenant_id === id('lamna')).map((d) => d.kind)).toContain('subscription-suspended');
    expect(open.some((d) => d.tenant_id === id('munson'))).toBe(false);
    const opened = (await events('licensing.discrepancy-opened')).filter((e) => e.payload.runId === run.id).map((e) => e.payload.key);
    expect(opened).toEqual(
      expect.arrayContaining([open.find((d) => d.tenant_id === id('lamna') && d.kind === 'subscription-suspended')!.key]),
    );
    const baselineKeys = new Set((await openOf(baseline.id)).map((d) => d.key));
    const closed = (await events('licensing.discrepancy-closed'))
      .filter((e) => e.payload.runId === run.id)
      .map((e) => e.payload.key as string);
    expect(closed.every((key) => baselineKeys.has(key) && !open.some((d) => d.key === key))).toBe(true);
  });

  it('an exclusion silences a discrepancy in the next run, with the exclusion named', async () => {
    await db(
      `insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name)
              values (gen_random_uuid(), $1, $2, null, 'ignore', null, 'Billed separately', now(), 'Contoso Admin')`,
      [organizationId, id('coho')],
    );
    await runNow();
    const run = await runsSettled(3);
    expect((await openOf(run.id)).some((d) => d.tenant_id === id('coho'))).toBe(false);
    expect(
      await db('select kind from discrepancies where run_id = $1 and tenant_id = $2 and silenced_by is not null', [run.id, id('coho')]),
    ).toEqual([{ kind: 'over-assigned' }]);
  });

  it('is renewal-aware: ten days on, the 7-day windows have closed (annual and monthly alike) and the advice is a change scheduled at renewal', async () => {
    const figuresOf = (runId: string, tenant: string) =>
      db<{ severity: string; action: string; figures: Record<string, number> }>(
        `select severity, action, figures from discrepancies where run_id = $1 and tenant_id = $2 and kind = 'unassigned-seats' and silenced_by is null`,
        [runId, id(tenant)],
      );
    const [before] = await figuresOf((await runsSettled(3)).id, 'bestforyou');
    expect(before).toMatchObject({ severity: 'medium', figures: { reducible: 3, atRenewal: 0 } });
    clock.offsetMs = 10 * DAY;
    await emulatorControl(t, 'clock', { advanceSeconds: 10 * 24 * 60 * 60 });
    await runNow();
    const run = await runsSettled(4);
    for (const tenant of ['bestforyou', 'bellows']) {
      const [after] = await figuresOf(run.id, tenant);
      expect(after).toMatchObject({ severity: 'low', figures: { reducible: 0 } });
      expect(after.figures.atRenewal).toBeGreaterThan(0);
      expect(after.action).toMatch(
        /^In Partner Center, schedule .* to renew with \d+ seats? fewer on \d{1,2} \w+ \d{4} \(a scheduled change at renewal\)/,
      );
    }
  });

  it('freezes the last run of a month as its month-end snapshot, which can no longer change', async () => {
    const [last] = (await runs()).slice(-1);
    const frozenBefore = await db('select month from month_end_snapshots');
    const now = clock.now();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 3);
    clock.offsetMs += nextMonth - now.getTime();
    await runNow();
    await runsSettled(5);
    const month = now.toISOString().slice(0, 7);
    const frozen = await db<{ month: string; run_id: string }>('select month, run_id from month_end_snapshots order by month');
    expect(frozen).toHaveLength(frozenBefore.length + 1);
    expect(frozen.at(-1)).toEqual({ month, run_id: last.id });
    await expect(db('update licence_snapshots set purchased = 0 where run_id = $1', [last.id])).rejects.toThrow(/immutable/);
    await expect(db('update month_end_snapshots set run_id = run_id where month = $1', [month])).rejects.toThrow(/immutable/);
  });

  it('with two app instances on one database, a scheduled run starts exactly once', async () => {
    const second = await startTestApp({
      clock,
      sharing: { database: t.database, emulator: t.emulator, config: t.config, baseUrl: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      const before = (await runs()).length;
      // It is past 02:00 today (UTC) and the last scheduled run was yesterday.
      await db(
        `insert into reconciliation_schedules (organization_id, run_at, last_scheduled_on) values ($2, '00:00', $1)
         on conflict (organization_id) do update set run_at = '00:00', last_scheduled_on = $1`,
        [new Date(clock.now().getTime() - DAY).toISOString().slice(0, 10), organizationId],
      );
      const started = await Promise.all([
        t.app.get(ScheduleReconciliationsUseCase).execute(),
        second.app.get(ScheduleReconciliationsUseCase).execute(),
      ]);
      expect(started.flat()).toEqual([organizationId]);
      await runsSettled(before + 1);
      expect(await db(`select trigger from import_runs where trigger = 'schedule'`)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('a run whose process dies mid-way is resumed by the next instance and still becomes a reconciliation run', async () => {
    const before = (await runs()).length;
    // Slow Partner Center down so the import is caught half-way.
    await emulatorControl(t, 'faults', { method: 'GET', path: '/v1/customers/*/subscribedskus', kind: 'latency', latencyMs: 400 });
    await runNow();
    await eventually(
      async () => expect((await db<{ done: number }>(`select done from import_runs where status = 'reading' and done > 0`)).length).toBe(1),
      60_000,
    );
    const shared = { database: t.database, emulator: t.emulator, baseUrl: t.baseUrl, config: t.config };
    await t.kill();
    await emulatorControl(first, 'faults', undefined, 'DELETE');
    const later = new ShiftedClock();
    later.offsetMs = clock.offsetMs + 5 * 60 * 1000;
    t = await startTestApp({ clock: later, sharing: shared });
    const run = await runsSettled(before + 1);
    expect(run).toMatchObject({ tenants_read: 24, tenants_failed: 0 });
  }, 180_000);
});
