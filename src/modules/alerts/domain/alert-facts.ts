import type { AlertRuleId, AlertSeverity } from './alert-rules';

// What the rules look at: the organization's customers, their licences and subscriptions, and its Partner Center
// connections, as the tenants, licensing and consent modules expose them (collected by the application layer).

export interface LicenceFact {
  skuId: string;
  productName: string;
  purchased: number;
  assigned: number;
  suspended: number;
  warning: number;
  lockedOut: number;
}

export interface SubscriptionFact {
  id: string;
  offerName: string;
  // The SKU it provides (matched through the customer's directory); null when not known.
  skuId: string | null;
  quantity: number;
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  // ISO-8601; null when Partner Center did not say.
  commitmentEndDate: string | null;
  cancellationAllowedUntilDate: string | null;
  refundableQuantity: number | null;
  // A monthly term renews every month: its renewal is always near.
  monthlyTerm: boolean;
}

export interface TenantFacts {
  tenantId: string;
  companyName: string;
  gdapStatus: 'ok' | 'missing_roles' | 'expired' | 'no_gdap' | 'unknown';
  gdapMissingRoles: string[];
  gdapRelationships: { displayName: string; status: string; endDateTime: string | null }[];
  appStatus: 'present' | 'provisioned' | 'missing' | null;
  accessProblemKind: 'app_not_provisioned' | 'conditional_access' | null;
  // Why the tenant could not be read at the last import (null: it was).
  lastError: string | null;
  // Null: the licences are not readable (then no licence rule applies: the counts are unknown, not zero).
  licences: LicenceFact[] | null;
  subscriptions: SubscriptionFact[];
}

export interface ConnectionFacts {
  delegatedAdminId: string;
  accountUpn: string;
  status: 'active' | 'needs_reconsent' | 'failed';
  statusReason: string | null;
  // When the refresh token was last redeemed (Microsoft ends it after 90 idle days); null: not known.
  tokenRenewedAt: Date | null;
}

// One thing that is wrong now. `key` is stable for as long as the condition lasts: the same condition found by the
// next evaluation (on any app instance) is the same alert.
export interface AlertCondition {
  key: string;
  rule: AlertRuleId;
  severity: AlertSeverity;
  tenantId: string | null;
  tenantName: string | null;
  skuId: string | null;
  title: string;
  // What to do about it, in plain words.
  action: string;
}

export interface AlertFacts {
  tenants: TenantFacts[];
  connections: ConnectionFacts[];
  // Conditions other modules report (billing profile missing, PSA sync failed…).
  external: AlertCondition[];
}
