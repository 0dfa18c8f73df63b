// The alert rules an organization can switch on or off, with their thresholds. MSPs manage licences by exception:
// every rule is about money or access at stake, never a date that takes care of itself (an auto-renewing
// subscription's renewal alone is not an alert).

export type AlertSeverity = 'critical' | 'warning' | 'info';

export const ALERT_RULE_IDS = [
  'over-assigned',
  'unused-seats-reducible',
  'unused-seats-before-renewal',
  'not-auto-renewing',
  'units-not-active',
  'consent-reconsent',
  'refresh-token-idle',
  'gdap-expiring',
  'gdap-expired',
  'gdap-missing-role',
  'app-not-provisioned',
  'customer-not-imported',
  // Extension points: conditions other modules report through AlertConditionSources (billing, PSA sync).
  'sku-without-billing-profile',
  'psa-sync-failed',
] as const;

export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

export interface AlertRuleDefinition {
  id: AlertRuleId;
  label: string;
  description: string;
  severity: AlertSeverity;
  // The rule's threshold in days, when it has one (what it means is in thresholdLabel).
  defaultThresholdDays?: number;
  thresholdLabel?: string;
  // Reported by another module through AlertConditionSources rather than evaluated here.
  external?: boolean;
}

export const ALERT_RULES: readonly AlertRuleDefinition[] = [
  {
    id: 'over-assigned',
    label: 'Over-assigned seats',
    description: 'More seats assigned than purchased for a product of a customer: the customer uses licences nobody pays for.',
    severity: 'critical',
  },
  {
    id: 'unused-seats-reducible',
    label: 'Unused seats you can remove now',
    description:
      'Seats nobody uses on a subscription still inside the 7-day window in which new-commerce seats can be removed for a refund.',
    severity: 'warning',
  },
  {
    id: 'unused-seats-before-renewal',
    label: 'Unused seats to decide before renewal',
    description:
      'Seats nobody uses on a subscription that renews soon (a monthly one: in its last week): after the renewal they are paid for another term.',
    severity: 'info',
    defaultThresholdDays: 30,
    thresholdLabel: 'days before the renewal',
  },
  {
    id: 'not-auto-renewing',
    label: 'Subscription will not renew',
    description: 'A subscription whose auto-renew is off: it ends at the end of its term and its users lose the licences.',
    severity: 'warning',
    defaultThresholdDays: 60,
    thresholdLabel: 'days before the term ends',
  },
  {
    id: 'units-not-active',
    label: 'Suspended, warning or locked-out seats',
    description: 'Seats Microsoft marks as in warning (payment or renewal due), suspended or locked out.',
    severity: 'warning',
  },
  {
    id: 'consent-reconsent',
    label: 'Partner Center consent needs to be granted again',
    description:
      'Microsoft no longer accepts a connected Partner Center account: nothing is read for its customers until consent is granted again.',
    severity: 'critical',
  },
  {
    id: 'refresh-token-idle',
    label: 'Partner Center connection close to expiring',
    description: 'Microsoft ends a connection whose refresh token is not used for 90 days; this one has not been renewed for a long time.',
    severity: 'critical',
    defaultThresholdDays: 75,
    thresholdLabel: 'idle days',
  },
  {
    id: 'gdap-expiring',
    label: 'GDAP relationship expiring',
    description: 'A GDAP relationship with a customer ends soon: after that Sync 365 can no longer read the customer.',
    severity: 'info',
    defaultThresholdDays: 30,
    thresholdLabel: 'days before it ends',
  },
  {
    id: 'gdap-expired',
    label: 'GDAP relationship expired or missing',
    description: 'There is no active GDAP relationship with a customer: its licences cannot be read.',
    severity: 'warning',
  },
  {
    id: 'gdap-missing-role',
    label: 'GDAP role missing',
    description: 'The GDAP relationship does not give the Sync 365 service account Global Reader and Application Administrator.',
    severity: 'warning',
  },
  {
    id: 'app-not-provisioned',
    label: 'Sync 365 not set up in a customer',
    description: 'The Sync 365 app is not provisioned in the customer’s directory, so its own subscriptions cannot be read.',
    severity: 'warning',
  },
  {
    id: 'customer-not-imported',
    label: 'Customer could not be imported',
    description: 'A customer listed in Partner Center whose tenant could not be read at the last import.',
    severity: 'warning',
  },
  {
    id: 'sku-without-billing-profile',
    label: 'Product without a billing profile',
    description: 'A product sold to a customer that no billing profile prices, so it is not billed.',
    severity: 'warning',
    external: true,
  },
  {
    id: 'psa-sync-failed',
    label: 'PSA sync failed',
    description: 'The last sync to your PSA failed: agreements there may be out of date.',
    severity: 'warning',
    external: true,
  },
];

export function ruleDefinition(id: string): AlertRuleDefinition | undefined {
  return ALERT_RULES.find((rule) => rule.id === id);
}

export function isAlertRuleId(value: unknown): value is AlertRuleId {
  return typeof value === 'string' && (ALERT_RULE_IDS as readonly string[]).includes(value);
}

export interface RuleSetting {
  enabled: boolean;
  thresholdDays: number | null;
}

// An organization's settings: every rule on, with its default threshold, until someone changes it.
export class AlertRuleSettings {
  private constructor(private readonly settings: ReadonlyMap<AlertRuleId, RuleSetting>) {}

  static of(stored: { rule: string; enabled: boolean; thresholdDays: number | null }[] = []): AlertRuleSettings {
    const map = new Map<AlertRuleId, RuleSetting>();
    for (const rule of ALERT_RULES) map.set(rule.id, { enabled: true, thresholdDays: rule.defaultThresholdDays ?? null });
    for (const row of stored) {
      const rule = ruleDefinition(row.rule);
      if (!rule) continue; // a rule a newer version wrote
      map.set(rule.id, {
        enabled: row.enabled,
        thresholdDays: rule.defaultThresholdDays === undefined ? null : (row.thresholdDays ?? rule.defaultThresholdDays),
      });
    }
    return new AlertRuleSettings(map);
  }

  enabled(rule: AlertRuleId): boolean {
    return this.settings.get(rule)?.enabled ?? true;
  }

  thresholdDays(rule: AlertRuleId): number {
    return this.settings.get(rule)?.thresholdDays ?? ruleDefinition(rule)?.defaultThresholdDays ?? 0;
  }

  get(rule: AlertRuleId): RuleSetting {
    return this.settings.get(rule) ?? { enabled: true, thresholdDays: null };
  }
}
