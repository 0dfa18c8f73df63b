import type { AlertFacts, ConnectionFacts, LicenceFact, SubscriptionFact, TenantFacts } from './alert-facts';
import { AlertRuleSettings } from './alert-rules';
import { evaluateAlertRules } from './evaluate-alert-rules';
import { muteApplies } from './alert-mute';

const NOW = new Date('2026-12-07T10:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 24 * 3600 * 1000).toISOString();
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';

function licence(overrides: Partial<LicenceFact> = {}): LicenceFact {
  return { skuId: E3, productName: 'Microsoft 365 E3', purchased: 10, assigned: 10, suspended: 0, warning: 0, lockedOut: 0, ...overrides };
}

function subscription(overrides: Partial<SubscriptionFact> = {}): SubscriptionFact {
  return {
    id: 'sub-1',
    offerName: 'Microsoft 365 E3',
    skuId: E3,
    quantity: 10,
    status: 'active',
    autoRenewEnabled: true,
    isTrial: false,
    commitmentEndDate: days(200),
    cancellationAllowedUntilDate: null,
    refundableQuantity: null,
    monthlyTerm: false,
    ...overrides,
  };
}

function tenant(overrides: Partial<TenantFacts> = {}): TenantFacts {
  return {
    tenantId: '11111111-1111-1111-1111-111111111111',
    companyName: 'Coho Winery',
    gdapStatus: 'ok',
    gdapMissingRoles: [],
    gdapRelationships: [{ displayName: 'Sync 365', status: 'active', endDateTime: days(400) }],
    appStatus: 'present',
    accessProblemKind: null,
    lastError: null,
    licences: [licence()],
    subscriptions: [subscription()],
    ...overrides,
  };
}

function connection(overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  return {
    delegatedAdminId: 'da-1',
    accountUpn: 's365@contoso.example',
    status: 'active',
    statusReason: null,
    tokenRenewedAt: new Date(days(-1)),
    ...overrides,
  };
}

function evaluate(facts: Partial<AlertFacts>, settings = AlertRuleSettings.of()) {
  return evaluateAlertRules({ tenants: [], connections: [], external: [], ...facts }, settings, NOW);
}

const rules = (conditions: { rule: string }[]) => conditions.map((c) => c.rule).sort();

describe('alert rules', () => {
  it('finds nothing for a healthy customer', () => {
    expect(evaluate({ tenants: [tenant()], connections: [connection()] })).toEqual([]);
  });

  it('never alerts for an auto-renewing subscription’s renewal date alone, however close', () => {
    for (const end of [days(1), days(5), days(29)]) {
      expect(
        evaluate({ tenants: [tenant({ subscriptions: [subscription({ commitmentEndDate: end, autoRenewEnabled: true })] })] }),
      ).toEqual([]);
    }
  });

  it('alerts a critical over-assignment with the seats to buy', () => {
    const [alert] = evaluate({ tenants: [tenant({ licences: [licence({ purchased: 10, assigned: 13 })] })] });
    expect(alert).toMatchObject({
      rule: 'over-assigned',
      severity: 'critical',
      skuId: E3,
      key: `over-assigned:11111111-1111-1111-1111-111111111111:${E3}`,
    });
    expect(alert.title).toContain('over-assigned by 3 seats');
    expect(alert.action).toContain('Buy 3 more seats');
  });

  it('alerts unused seats that can still be removed inside the 7-day window, capped by what Partner Center refunds', () => {
    const facts = {
      tenants: [
        tenant({
          licences: [licence({ purchased: 10, assigned: 4 })],
          subscriptions: [subscription({ cancellationAllowedUntilDate: days(3), refundableQuantity: 5 })],
        }),
      ],
    };
    const [alert] = evaluate(facts);
    expect(alert).toMatchObject({ rule: 'unused-seats-reducible', severity: 'warning' });
    expect(alert.title).toContain('5 unused seats');
  });

  it('alerts unused seats before an upcoming renewal only within the threshold', () => {
    const near = {
      tenants: [
        tenant({ licences: [licence({ purchased: 10, assigned: 8 })], subscriptions: [subscription({ commitmentEndDate: days(20) })] }),
      ],
    };
    expect(rules(evaluate(near))).toEqual(['unused-seats-before-renewal']);
    expect(evaluate(near)[0].title).toContain('2 unused seats');
    const far = {
      tenants: [
        tenant({ licences: [licence({ purchased: 10, assigned: 8 })], subscriptions: [subscription({ commitmentEndDate: days(45) })] }),
      ],
    };
    expect(evaluate(far)).toEqual([]);
    expect(rules(evaluate(far, AlertRuleSettings.of([{ rule: 'unused-seats-before-renewal', enabled: true, thresholdDays: 60 }])))).toEqual(
      ['unused-seats-before-renewal'],
    );
  });

  it('alerts a monthly subscription’s unused seats only in the last week before it renews (it always renews within a month)', () => {
    const monthly = (end: number) => ({
      tenants: [
        tenant({
          licences: [licence({ purchased: 10, assigned: 8 })],
          subscriptions: [subscription({ monthlyTerm: true, commitmentEndDate: days(end) })],
        }),
      ],
    });
    expect(evaluate(monthly(20))).toEqual([]);
    expect(rules(evaluate(monthly(5)))).toEqual(['unused-seats-before-renewal']);
  });

  it('alerts a subscription that will not renew, within its threshold', () => {
    const facts = { tenants: [tenant({ subscriptions: [subscription({ autoRenewEnabled: false, commitmentEndDate: days(40) })] })] };
    const [alert] = evaluate(facts);
    expect(alert).toMatchObject({ rule: 'not-auto-renewing', key: 'not-auto-renewing:11111111-1111-1111-1111-111111111111:sub-1' });
    expect(
      evaluate({ tenants: [tenant({ subscriptions: [subscription({ autoRenewEnabled: false, commitmentEndDate: days(90) })] })] }),
    ).toEqual([]);
    // Already suspended: the units rule speaks for it, not the renewal.
    expect(
      evaluate({
        tenants: [tenant({ subscriptions: [subscription({ autoRenewEnabled: false, status: 'suspended', commitmentEndDate: days(10) })] })],
      }),
    ).toEqual([]);
  });

  it('alerts suspended, warning and locked-out seats', () => {
    const [alert] = evaluate({ tenants: [tenant({ licences: [licence({ suspended: 2, lockedOut: 1 })] })] });
    expect(alert.rule).toBe('units-not-active');
    expect(alert.title).toContain('2 suspended, 1 locked out');
  });

  it('alerts a connection needing re-consent, and one whose refresh token nears 90 idle days', () => {
    expect(rules(evaluate({ connections: [connection({ status: 'needs_reconsent', statusReason: 'The token expired.' })] }))).toEqual([
      'consent-reconsent',
    ]);
    expect(rules(evaluate({ connections: [connection({ tokenRenewedAt: new Date(days(-80)) })] }))).toEqual(['refresh-token-idle']);
    expect(evaluate({ connections: [connection({ tokenRenewedAt: new Date(days(-30)) })] })).toEqual([]);
  });

  it('alerts GDAP expiring in N days, expired or missing, and missing a role', () => {
    expect(
      rules(evaluate({ tenants: [tenant({ gdapRelationships: [{ displayName: 'r', status: 'active', endDateTime: days(10) }] })] })),
    ).toEqual(['gdap-expiring']);
    // Another active relationship lasting longer keeps access.
    expect(
      evaluate({
        tenants: [
          tenant({
            gdapRelationships: [
              { displayName: 'r', status: 'active', endDateTime: days(10) },
              { displayName: 's', status: 'active', endDateTime: days(300) },
            ],
          }),
        ],
      }),
    ).toEqual([]);
    expect(rules(evaluate({ tenants: [tenant({ gdapStatus: 'expired', gdapRelationships: [], licences: null })] }))).toEqual([
      'gdap-expired',
    ]);
    expect(rules(evaluate({ tenants: [tenant({ gdapStatus: 'no_gdap', gdapRelationships: [], licences: null })] }))).toEqual([
      'gdap-expired',
    ]);
    const [missing] = evaluate({ tenants: [tenant({ gdapStatus: 'missing_roles', gdapMissingRoles: ['Application Administrator'] })] });
    expect(missing.rule).toBe('gdap-missing-role');
    expect(missing.action).toContain('Application Administrator');
  });

  it('alerts the app not provisioned and a customer that could not be imported', () => {
    expect(rules(evaluate({ tenants: [tenant({ appStatus: 'missing', accessProblemKind: 'app_not_provisioned' })] }))).toEqual([
      'app-not-provisioned',
    ]);
    // Missing GDAP roles are why the app could not be added: one alert, the GDAP one, with the fix.
    expect(
      rules(
        evaluate({
          tenants: [
            tenant({
              gdapStatus: 'missing_roles',
              gdapMissingRoles: ['Application Administrator'],
              appStatus: 'missing',
              accessProblemKind: 'app_not_provisioned',
            }),
          ],
        }),
      ),
    ).toEqual(['gdap-missing-role']);
    const [failed] = evaluate({ tenants: [tenant({ lastError: 'Partner Center answered 500.' })] });
    expect(failed).toMatchObject({ rule: 'customer-not-imported', action: 'Partner Center answered 500.' });
  });

  it('applies no licence rule to a tenant whose licences are not readable', () => {
    expect(evaluate({ tenants: [tenant({ licences: null })] })).toEqual([]);
  });

  it('leaves out a rule switched off, and passes on conditions other modules report', () => {
    const facts = { tenants: [tenant({ licences: [licence({ assigned: 12 })] })] };
    expect(evaluate(facts, AlertRuleSettings.of([{ rule: 'over-assigned', enabled: false, thresholdDays: null }]))).toEqual([]);
    const external = {
      key: 'psa-sync-failed:conn-1',
      rule: 'psa-sync-failed' as const,
      severity: 'warning' as const,
      tenantId: null,
      tenantName: null,
      skuId: null,
      title: 'PSA sync failed',
      action: 'Check the PSA connection.',
    };
    expect(evaluate({ external: [external] })).toEqual([external]);
    expect(
      evaluate({ external: [external] }, AlertRuleSettings.of([{ rule: 'psa-sync-failed', enabled: false, thresholdDays: null }])),
    ).toEqual([]);
  });

  it('gives the same key to the same condition on every evaluation', () => {
    const facts = { tenants: [tenant({ licences: [licence({ assigned: 12 })] })] };
    expect(evaluate(facts).map((c) => c.key)).toEqual(
      evaluate({ tenants: [tenant({ licences: [licence({ assigned: 15 })] })] }).map((c) => c.key),
    );
  });
});

describe('alert mutes', () => {
  const condition = { rule: 'over-assigned' as const, tenantId: 'T1', skuId: 'S1' };
  it('mutes by rule, tenant and SKU until its end date', () => {
    expect(muteApplies({ rule: 'over-assigned', tenantId: 't1', skuId: null, until: null }, condition, NOW)).toBe(true);
    expect(muteApplies({ rule: null, tenantId: 'T1', skuId: 's1', until: new Date(days(1)) }, condition, NOW)).toBe(true);
    expect(muteApplies({ rule: null, tenantId: 'T1', skuId: 'S2', until: null }, condition, NOW)).toBe(false);
    expect(muteApplies({ rule: 'gdap-expired', tenantId: 'T1', skuId: null, until: null }, condition, NOW)).toBe(false);
    expect(muteApplies({ rule: 'over-assigned', tenantId: null, skuId: null, until: new Date(days(-1)) }, condition, NOW)).toBe(false);
  });
});
