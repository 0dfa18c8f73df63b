import type { Alert } from '../../domain/alert';
import type { AlertCondition } from '../../domain/alert-facts';
import type { AlertMute } from '../../domain/alert-mute';
import type { AlertRuleId } from '../../domain/alert-rules';

export interface StoredRuleSetting {
  rule: string;
  enabled: boolean;
  thresholdDays: number | null;
  updatedAt: Date;
  updatedByName: string;
}

export interface EmailPreferences {
  immediate: boolean;
  digest: 'daily' | 'weekly' | 'off';
  unsubscribedRules: AlertRuleId[];
}

export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = { immediate: true, digest: 'daily', unsubscribedRules: [] };

export interface AlertEmailRow {
  id: string;
  organizationId: string;
  staffUserId: string;
  kind: 'immediate' | 'digest';
  dedupeKey: string;
  alertIds: string[];
  recipient: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  createdAt: Date;
  sentAt: Date | null;
  error: string | null;
}

// Every method is scoped to one organization; writes join the caller's transaction.
export abstract class AlertRepository {
  abstract ruleSettings(organizationId: string): Promise<StoredRuleSetting[]>;
  abstract saveRuleSetting(organizationId: string, setting: StoredRuleSetting): Promise<void>;

  abstract activeMutes(organizationId: string, now: Date): Promise<AlertMute[]>;
  abstract addMute(mute: AlertMute): Promise<void>;
  // The mute lifted, or null when there is no such active mute.
  abstract liftMute(organizationId: string, muteId: string, at: Date): Promise<AlertMute | null>;

  abstract openAlerts(organizationId: string): Promise<Alert[]>;
  abstract find(organizationId: string, alertId: string): Promise<Alert | null>;
  abstract findMany(organizationId: string, alertIds: string[]): Promise<Alert[]>;
  // Opens an alert for each condition unless one is open for its key already (on any instance): the alerts this call
  // opened. One statement for all of them (an evaluation may find thousands at partner scale).
  abstract open(organizationId: string, alerts: readonly { id: string; condition: AlertCondition }[], now: Date): Promise<Alert[]>;
  // Keeps open alerts' words and severity current (the seat counts in a title change while the condition lasts).
  abstract refresh(organizationId: string, conditions: readonly AlertCondition[], now: Date): Promise<void>;
  // Resolves those still open: the alerts this call resolved (another instance may have been first).
  abstract resolve(organizationId: string, alertIds: string[], now: Date): Promise<Alert[]>;
  abstract acknowledge(organizationId: string, alertId: string, byName: string, at: Date): Promise<boolean>;
  abstract history(organizationId: string, limit: number): Promise<Alert[]>;

  abstract recordEvaluation(organizationId: string, at: Date): Promise<void>;
  // Organizations evaluated before (the schedule re-evaluates them), across all organizations: a system job.
  abstract evaluatedOrganizations(): Promise<string[]>;

  abstract emailPreferences(organizationId: string, staffUserIds: string[]): Promise<Map<string, EmailPreferences>>;
  abstract saveEmailPreferences(organizationId: string, staffUserId: string, preferences: EmailPreferences, at: Date): Promise<void>;
  // Records the mail unless one for (recipient, kind, dedupeKey) exists: its id, or null when it existed.
  abstract recordEmail(email: Omit<AlertEmailRow, 'state' | 'sentAt' | 'error'>): Promise<string | null>;
  abstract hasEmail(organizationId: string, staffUserId: string, kind: 'immediate' | 'digest', dedupeKey: string): Promise<boolean>;
  // Claims a pending mail for sending (one instance only): the row, or null when it is not pending.
  abstract claimEmail(emailId: string): Promise<AlertEmailRow | null>;
  // Mails recorded but still pending since before `before` (their job was lost): a system sweep, all organizations.
  abstract pendingEmails(before: Date, limit: number): Promise<string[]>;
  abstract finishEmail(organizationId: string, emailId: string, outcome: { sentAt: Date } | { error: string }): Promise<void>;
}
