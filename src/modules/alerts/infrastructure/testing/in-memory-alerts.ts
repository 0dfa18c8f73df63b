import {
  AlertRepository,
  DEFAULT_EMAIL_PREFERENCES,
  type AlertEmailRow,
  type EmailPreferences,
  type StoredRuleSetting,
} from '../../application/ports/alert.repository';
import type { Alert } from '../../domain/alert';
import type { AlertCondition } from '../../domain/alert-facts';
import type { AlertMute } from '../../domain/alert-mute';

// The alert repository in memory, for use-case tests: the same one-open-alert-per-key and one-mail-per-key rules.
export class InMemoryAlerts extends AlertRepository {
  readonly alerts: Alert[] = [];
  readonly mutes: (AlertMute & { liftedAt?: Date })[] = [];
  readonly settings: (StoredRuleSetting & { organizationId: string })[] = [];
  readonly emails: AlertEmailRow[] = [];
  readonly preferences = new Map<string, EmailPreferences>();
  readonly evaluations = new Map<string, Date>();

  async ruleSettings(organizationId: string) {
    return this.settings.filter((s) => s.organizationId === organizationId);
  }
  async saveRuleSetting(organizationId: string, setting: StoredRuleSetting) {
    const index = this.settings.findIndex((s) => s.organizationId === organizationId && s.rule === setting.rule);
    if (index >= 0) this.settings.splice(index, 1);
    this.settings.push({ ...setting, organizationId });
  }
  async activeMutes(organizationId: string, now: Date) {
    return this.mutes.filter((m) => m.organizationId === organizationId && !m.liftedAt && (!m.until || m.until > now));
  }
  async addMute(mute: AlertMute) {
    this.mutes.push({ ...mute });
  }
  async liftMute(organizationId: string, muteId: string, at: Date) {
    const mute = this.mutes.find((m) => m.organizationId === organizationId && m.id === muteId && !m.liftedAt);
    if (mute) mute.liftedAt = at;
    return mute ?? null;
  }
  async openAlerts(organizationId: string) {
    return this.alerts.filter((a) => a.organizationId === organizationId && !a.resolvedAt).map((a) => ({ ...a }));
  }
  async find(organizationId: string, alertId: string) {
    const alert = this.alerts.find((a) => a.organizationId === organizationId && a.id === alertId);
    return alert ? { ...alert } : null;
  }
  async findMany(organizationId: string, alertIds: string[]) {
    return this.alerts.filter((a) => a.organizationId === organizationId && alertIds.includes(a.id)).map((a) => ({ ...a }));
  }
  async open(organizationId: string, alerts: readonly { id: string; condition: AlertCondition }[], now: Date) {
    const opened: Alert[] = [];
    for (const { id, condition: c } of alerts) {
      if (this.alerts.some((a) => a.organizationId === organizationId && a.key === c.key && !a.resolvedAt)) continue;
      const alert: Alert = {
        id,
        organizationId,
        ...c,
        openedAt: now,
        lastSeenAt: now,
        resolvedAt: null,
        acknowledgedAt: null,
        acknowledgedByName: null,
      };
      this.alerts.push(alert);
      opened.push({ ...alert });
    }
    return opened;
  }
  async refresh(organizationId: string, conditions: readonly AlertCondition[], now: Date) {
    for (const c of conditions) {
      for (const a of this.alerts)
        if (a.organizationId === organizationId && a.key === c.key && !a.resolvedAt)
          Object.assign(a, { title: c.title, action: c.action, severity: c.severity, tenantName: c.tenantName, lastSeenAt: now });
    }
  }
  async resolve(organizationId: string, alertIds: string[], now: Date) {
    const resolved = this.alerts.filter((a) => a.organizationId === organizationId && alertIds.includes(a.id) && !a.resolvedAt);
    for (const a of resolved) a.resolvedAt = now;
    return resolved.map((a) => ({ ...a }));
  }
  async acknowledge(organizationId: string, alertId: string, byName: string, at: Date) {
    const alert = this.alerts.find((a) => a.organizationId === organizationId && a.id === alertId && !a.resolvedAt);
    if (alert) Object.assign(alert, { acknowledgedAt: at, acknowledgedByName: byName });
    return alert !== undefined;
  }
  async history(organizationId: string, limit: number) {
    return this.alerts
      .filter((a) => a.organizationId === organizationId && a.resolvedAt)
      .slice(-limit)
      .reverse();
  }
  async recordEvaluation(organizationId: string, at: Date) {
    this.evaluations.set(organizationId, at);
  }
  async evaluatedOrganizations() {
    return [...this.evaluations.keys()];
  }
  async emailPreferences(organizationId: string, staffUserIds: string[]) {
    return new Map(staffUserIds.map((id) => [id, this.preferences.get(`${organizationId}/${id}`) ?? { ...DEFAULT_EMAIL_PREFERENCES }]));
  }
  async saveEmailPreferences(organizationId: string, staffUserId: string, preferences: EmailPreferences) {
    this.preferences.set(`${organizationId}/${staffUserId}`, preferences);
  }
  async recordEmail(e: Omit<AlertEmailRow, 'state' | 'sentAt' | 'error'>) {
    if (
      this.emails.some(
        (x) => x.organizationId === e.organizationId && x.staffUserId === e.staffUserId && x.kind === e.kind && x.dedupeKey === e.dedupeKey,
      )
    )
      return null;
    this.emails.push({ ...e, state: 'pending', sentAt: null, error: null });
    return e.id;
  }
  async hasEmail(organizationId: string, staffUserId: string, kind: 'immediate' | 'digest', dedupeKey: string) {
    return this.emails.some(
      (x) => x.organizationId === organizationId && x.staffUserId === staffUserId && x.kind === kind && x.dedupeKey === dedupeKey,
    );
  }
  async claimEmail(emailId: string) {
    const email = this.emails.find((e) => e.id === emailId && e.state === 'pending');
    if (email) email.state = 'sending';
    return email ? { ...email } : null;
  }
  async pendingEmails(before: Date, limit: number) {
    return this.emails
      .filter((e) => e.state === 'pending' && e.createdAt < before)
      .slice(0, limit)
      .map((e) => e.id);
  }
  async finishEmail(organizationId: string, emailId: string, outcome: { sentAt: Date } | { error: string }) {
    const email = this.emails.find((e) => e.organizationId === organizationId && e.id === emailId)!;
    Object.assign(
      email,
      'sentAt' in outcome ? { state: 'sent', sentAt: outcome.sentAt, error: null } : { state: 'failed', error: outcome.error },
    );
  }
}
