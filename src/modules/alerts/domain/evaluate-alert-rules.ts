import type { AlertCondition, AlertFacts, ConnectionFacts, LicenceFact, SubscriptionFact, TenantFacts } from './alert-facts';
import { ruleDefinition, type AlertRuleId, type AlertRuleSettings } from './alert-rules';

const DAY_MS = 24 * 3600 * 1000;
// Microsoft ends a refresh token after 90 days without use (AADSTS700082).
export const REFRESH_TOKEN_LIFETIME_DAYS = 90;
// How close to its monthly renewal a monthly subscription's unused seats are worth an alert.
export const MONTHLY_NOTICE_DAYS = 7;

// Every condition the organization's enabled rules find in the facts. Pure: the same facts give the same keys.
export function evaluateAlertRules(facts: AlertFacts, settings: AlertRuleSettings, now: Date): AlertCondition[] {
  const found: AlertCondition[] = [];
  const add = (condition: Omit<AlertCondition, 'severity'>) => {
    if (!settings.enabled(condition.rule)) return;
    found.push({ ...condition, severity: ruleDefinition(condition.rule)!.severity });
  };
  for (const tenant of facts.tenants) tenantConditions(tenant, settings, now, add);
  for (const connection of facts.connections) connectionConditions(connection, settings, now, add);
  for (const condition of facts.external) if (settings.enabled(condition.rule)) found.push(condition);
  return oneAlertPerKey(found);
}

// One alert per key, whatever the facts repeat (the last found stands).
export function oneAlertPerKey(conditions: readonly AlertCondition[]): AlertCondition[] {
  return [...new Map(conditions.map((c) => [c.key, c])).values()];
}

type Add = (condition: Omit<AlertCondition, 'severity'>) => void;

function tenantConditions(tenant: TenantFacts, settings: AlertRuleSettings, now: Date, add: Add): void {
  const at = (rule: AlertRuleId, ...parts: string[]) => ({
    rule,
    key: [rule, tenant.tenantId, ...parts].join(':'),
    tenantId: tenant.tenantId,
    tenantName: tenant.companyName,
  });
  const customer = tenant.companyName;

  for (const licence of tenant.licences ?? []) {
    if (licence.assigned > licence.purchased) {
      const over = licence.assigned - licence.purchased;
      add({
        ...at('over-assigned', licence.skuId),
        skuId: licence.skuId,
        title: `${customer}: ${licence.productName} is over-assigned by ${over} seat${plural(over)} (${licence.assigned} assigned, ${licence.purchased} purchased)`,
        action: `Buy ${over} more seat${plural(over)} of ${licence.productName} for ${customer}, or remove the licence from ${over} user${plural(over)} in the customer’s Microsoft 365 admin centre.`,
      });
    }
    const notActive = [
      licence.warning && `${licence.warning} in warning`,
      licence.suspended && `${licence.suspended} suspended`,
      licence.lockedOut && `${licence.lockedOut} locked out`,
    ].filter(Boolean);
    if (notActive.length > 0) {
      add({
        ...at('units-not-active', licence.skuId),
        skuId: licence.skuId,
        title: `${customer}: ${licence.productName} has seats ${notActive.join(', ')}`,
        action: `Check the subscription in Partner Center: seats in warning stop working when the grace period ends; reactivate suspended ones or move their users to another licence.`,
      });
    }
    unusedSeatConditions(tenant, licence, settings, now, add, at);
  }

  for (const subscription of tenant.subscriptions) {
    if (!isActive(subscription) || subscription.autoRenewEnabled || !subscription.commitmentEndDate) continue;
    const end = new Date(subscription.commitmentEndDate);
    const days = daysUntil(end, now);
    if (days < 0 || days > settings.thresholdDays('not-auto-renewing')) continue;
    add({
      ...at('not-auto-renewing', subscription.id),
      skuId: subscription.skuId,
      title: `${customer}: ${subscription.offerName}${subscription.isTrial ? ' (trial)' : ''} will not renew and ends ${dateOf(end)}`,
      action: `If the customer still needs it, switch auto-renew on (or buy it) in Partner Center before ${dateOf(end)}; otherwise move its ${subscription.quantity} user${plural(subscription.quantity)} off it.`,
    });
  }

  switch (tenant.gdapStatus) {
    case 'expired':
    case 'no_gdap':
      add({
        ...at('gdap-expired'),
        skuId: null,
        title:
          tenant.gdapStatus === 'expired' ? `${customer}: the GDAP relationship has expired` : `${customer}: there is no GDAP relationship`,
        action:
          'Request a new admin relationship in Partner Center with Global Reader and Application Administrator, have the customer approve it, then assign the roles to your Sync 365 service account’s security group.',
      });
      break;
    case 'missing_roles':
      add({
        ...at('gdap-missing-role'),
        skuId: null,
        title: `${customer}: GDAP does not give ${tenant.gdapMissingRoles.join(' and ') || 'the required roles'}`,
        action: `In Partner Center → Customers → ${customer} → Admin relationships, assign ${tenant.gdapMissingRoles.join(' and ') || 'Global Reader and Application Administrator'} to the security group of your Sync 365 service account.`,
      });
      break;
    default:
      break;
  }
  const active = tenant.gdapRelationships.filter((r) => r.status.toLowerCase() === 'active');
  // Access lasts until the last active relationship ends; one without an end date never does.
  if (tenant.gdapStatus !== 'expired' && tenant.gdapStatus !== 'no_gdap' && active.length > 0 && active.every((r) => r.endDateTime)) {
    const end = new Date(Math.max(...active.map((r) => new Date(r.endDateTime!).getTime())));
    const days = daysUntil(end, now);
    if (days >= 0 && days <= settings.thresholdDays('gdap-expiring')) {
      add({
        ...at('gdap-expiring'),
        skuId: null,
        title: `${customer}: the GDAP relationship ends ${dateOf(end)} (in ${days} day${plural(days)})`,
        action: 'Extend the relationship in Partner Center (auto-extend, or a new request the customer approves) before it ends.',
      });
    }
  }

  // Without the GDAP roles Sync 365 cannot add itself: the GDAP alert carries the fix, one alert is enough.
  const gdapUsable = tenant.gdapStatus === 'ok' || tenant.gdapStatus === 'unknown';
  if (gdapUsable && (tenant.appStatus === 'missing' || tenant.accessProblemKind === 'app_not_provisioned')) {
    add({
      ...at('app-not-provisioned'),
      skuId: null,
      title: `${customer}: Sync 365 is not set up in the customer’s directory`,
      action:
        'Give your Sync 365 service account Application Administrator through GDAP for this customer, then select Retry on the customer: Sync 365 adds itself.',
    });
  }
  if (tenant.lastError) {
    add({
      ...at('customer-not-imported'),
      skuId: null,
      title: `${customer} could not be read at the last import`,
      action: tenant.lastError,
    });
  }
}

function unusedSeatConditions(
  tenant: TenantFacts,
  licence: LicenceFact,
  settings: AlertRuleSettings,
  now: Date,
  add: Add,
  at: (rule: AlertRuleId, ...parts: string[]) => object,
): void {
  const unused = licence.purchased - licence.assigned;
  if (unused <= 0) return;
  const customer = tenant.companyName;
  const subscriptions = tenant.subscriptions.filter(
    (s) => s.skuId !== null && s.skuId.toLowerCase() === licence.skuId.toLowerCase() && isActive(s),
  );
  for (const subscription of subscriptions) {
    const window = subscription.cancellationAllowedUntilDate ? new Date(subscription.cancellationAllowedUntilDate) : null;
    if (window && window.getTime() > now.getTime()) {
      // New commerce: seats may be removed for a refund only inside the window (FACTS §7a.4).
      const reducible = Math.min(unused, subscription.refundableQuantity ?? subscription.quantity);
      if (reducible > 0) {
        add({
          ...(at('unused-seats-reducible', subscription.id) as Pick<AlertCondition, 'rule' | 'key' | 'tenantId' | 'tenantName'>),
          skuId: licence.skuId,
          title: `${customer}: ${reducible} unused seat${plural(reducible)} of ${licence.productName} can still be removed for a refund`,
          action: `Reduce ${subscription.offerName} by up to ${reducible} seat${plural(reducible)} in Partner Center before ${dateOf(window)}; after that the seats are paid until the end of the term.`,
        });
      }
      continue;
    }
    if (!subscription.autoRenewEnabled || !subscription.commitmentEndDate) continue;
    const renewal = new Date(subscription.commitmentEndDate);
    const days = daysUntil(renewal, now);
    // A monthly term renews every month: within the threshold it would always be; the last week is when to decide.
    const horizon = subscription.monthlyTerm
      ? Math.min(MONTHLY_NOTICE_DAYS, settings.thresholdDays('unused-seats-before-renewal'))
      : settings.thresholdDays('unused-seats-before-renewal');
    if (days < 0 || days > horizon) continue;
    const seats = Math.min(unused, subscription.quantity);
    add({
      ...(at('unused-seats-before-renewal', subscription.id) as Pick<AlertCondition, 'rule' | 'key' | 'tenantId' | 'tenantName'>),
      skuId: licence.skuId,
      title: `${customer}: ${seats} unused seat${plural(seats)} of ${licence.productName} renew ${dateOf(renewal)}`,
      action: `Decide before ${dateOf(renewal)}: schedule ${subscription.offerName} down by ${seats} seat${plural(seats)} for the renewal in Partner Center, or keep them for the next term.`,
    });
  }
}

function connectionConditions(connection: ConnectionFacts, settings: AlertRuleSettings, now: Date, add: Add): void {
  const base = { tenantId: null, tenantName: null, skuId: null };
  if (connection.status !== 'active') {
    add({
      ...base,
      rule: 'consent-reconsent',
      key: `consent-reconsent:${connection.delegatedAdminId}`,
      title: `Partner Center account ${connection.accountUpn} needs consent granted again`,
      action: `${connection.statusReason ? `${connection.statusReason} ` : ''}Open Customers → Delegated Admin and select Re-grant, signing in as ${connection.accountUpn}.`,
    });
    return;
  }
  if (!connection.tokenRenewedAt) return;
  const idle = Math.floor((now.getTime() - connection.tokenRenewedAt.getTime()) / DAY_MS);
  if (idle < settings.thresholdDays('refresh-token-idle')) return;
  const left = Math.max(0, REFRESH_TOKEN_LIFETIME_DAYS - idle);
  add({
    ...base,
    rule: 'refresh-token-idle',
    key: `refresh-token-idle:${connection.delegatedAdminId}`,
    title: `Partner Center account ${connection.accountUpn} has not been renewed for ${idle} days (Microsoft ends it after ${REFRESH_TOKEN_LIFETIME_DAYS})`,
    action: `Sync 365 renews connections every day; this one has failed to renew. Check that Microsoft is reachable, or grant consent again under Customers → Delegated Admin within ${left} day${plural(left)}.`,
  });
}

function isActive(subscription: SubscriptionFact): boolean {
  return subscription.status.trim().toLowerCase() === 'active';
}

function daysUntil(date: Date, now: Date): number {
  return Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
}

// A date in titles and mail: the day, unambiguous in any time zone a reader is in.
function dateOf(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
