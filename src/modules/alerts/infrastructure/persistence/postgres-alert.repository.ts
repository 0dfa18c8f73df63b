import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { boundSql, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
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
import type { AlertRuleId, AlertSeverity } from '../../domain/alert-rules';

type Time = string | Date;

interface AlertRow {
  id: string;
  organization_id: string;
  key: string;
  rule: AlertRuleId;
  severity: AlertSeverity;
  tenant_id: string | null;
  tenant_name: string | null;
  sku_id: string | null;
  title: string;
  action: string;
  opened_at: Time;
  last_seen_at: Time;
  resolved_at: Time | null;
  acknowledged_at: Time | null;
  acknowledged_by_name: string | null;
}

interface MuteRow {
  id: string;
  organization_id: string;
  rule: AlertRuleId | null;
  tenant_id: string | null;
  sku_id: string | null;
  reason: string;
  until: Time | null;
  created_at: Time;
  created_by_name: string;
}

interface EmailRow {
  id: string;
  organization_id: string;
  staff_user_id: string;
  kind: 'immediate' | 'digest';
  dedupe_key: string;
  alert_ids: string[];
  recipient: string;
  state: AlertEmailRow['state'];
  created_at: Time;
  sent_at: Time | null;
  error: string | null;
}

const ALERT_COLUMNS =
  'id, organization_id, key, rule, severity, tenant_id, tenant_name, sku_id, title, action, opened_at, last_seen_at, resolved_at, acknowledged_at, acknowledged_by_name';
const MUTE_COLUMNS = 'id, organization_id, rule, tenant_id, sku_id, reason, until, created_at, created_by_name';
const EMAIL_COLUMNS = 'id, organization_id, staff_user_id, kind, dedupe_key, alert_ids, recipient, state, created_at, sent_at, error';

@Injectable()
export class PostgresAlertRepository extends AlertRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  private sql<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return rawSql<T>(this.em, sql, params);
  }

  async ruleSettings(organizationId: string): Promise<StoredRuleSetting[]> {
    const rows = await this.sql<{
      rule: string;
      enabled: boolean;
      threshold_days: number | null;
      updated_at: Time;
      updated_by_name: string;
    }>('select rule, enabled, threshold_days, updated_at, updated_by_name from alert_rule_settings where organization_id = ?', [
      organizationId,
    ]);
    return rows.map((r) => ({
      rule: r.rule,
      enabled: r.enabled,
      thresholdDays: r.threshold_days,
      updatedAt: sqlTime(r.updated_at),
      updatedByName: r.updated_by_name,
    }));
  }

  async saveRuleSetting(organizationId: string, s: StoredRuleSetting): Promise<void> {
    await this.sql(
      `insert into alert_rule_settings (organization_id, rule, enabled, threshold_days, updated_at, updated_by_name) values (?, ?, ?, ?, ?, ?)
       on conflict (organization_id, rule) do update set enabled = excluded.enabled, threshold_days = excluded.threshold_days, updated_at = excluded.updated_at, updated_by_name = excluded.updated_by_name`,
      [organizationId, s.rule, s.enabled, s.thresholdDays, s.updatedAt, s.updatedByName],
    );
  }

  async activeMutes(organizationId: string, now: Date): Promise<AlertMute[]> {
    const rows = await this.sql<MuteRow>(
      `select ${MUTE_COLUMNS} from alert_mutes where organization_id = ? and lifted_at is null and (until is null or until > ?) order by created_at desc`,
      [organizationId, now],
    );
    return rows.map(toMute);
  }

  async addMute(mute: AlertMute): Promise<void> {
    await this.sql(
      'insert into alert_mutes (id, organization_id, rule, tenant_id, sku_id, reason, until, created_at, created_by_name) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [mute.id, mute.organizationId, mute.rule, mute.tenantId, mute.skuId, mute.reason, mute.until, mute.createdAt, mute.createdByName],
    );
  }

  async liftMute(organizationId: string, muteId: string, at: Date): Promise<AlertMute | null> {
    if (!isGuid(muteId)) return null;
    const [row] = await this.sql<MuteRow>(
      `update alert_mutes set lifted_at = ? where organization_id = ? and id = ? and lifted_at is null returning ${MUTE_COLUMNS}`,
      [at, organizationId, muteId],
    );
    return row ? toMute(row) : null;
  }

  async openAlerts(organizationId: string): Promise<Alert[]> {
    return (
      await this.sql<AlertRow>(
        `select ${ALERT_COLUMNS} from alerts where organization_id = ? and resolved_at is null order by opened_at, id`,
        [organizationId],
      )
    ).map(toAlert);
  }

  async find(organizationId: string, alertId: string): Promise<Alert | null> {
    if (!isGuid(alertId)) return null;
    const [row] = await this.sql<AlertRow>(`select ${ALERT_COLUMNS} from alerts where organization_id = ? and id = ?`, [
      organizationId,
      alertId,
    ]);
    return row ? toAlert(row) : null;
  }

  async findMany(organizationId: string, alertIds: string[]): Promise<Alert[]> {
    const ids = alertIds.filter(isGuid);
    if (ids.length === 0) return [];
    return (
      await this.sql<AlertRow>(`select ${ALERT_COLUMNS} from alerts where organization_id = ? and id in (?) order by opened_at, id`, [
        organizationId,
        ids,
      ])
    ).map(toAlert);
  }

  async open(organizationId: string, alerts: readonly { id: string; condition: AlertCondition }[], now: Date): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    // Waits for a concurrent insert of the same key to commit, then does nothing: one alert, one alert.opened.
    const rows = alerts.map(({ id, condition: c }) => ({
      id,
      key: c.key,
      rule: c.rule,
      severity: c.severity,
      tenant_id: c.tenantId,
      tenant_name: c.tenantName,
      sku_id: c.skuId,
      title: c.title,
      action: c.action,
    }));
    // The rows as a bound parameter (boundSql): thousands of them escaped into the statement's text cost more than the insert.
    const opened = await boundSql<AlertRow>(
      this.em,
      `insert into alerts (id, organization_id, key, rule, severity, tenant_id, tenant_name, sku_id, title, action, opened_at, last_seen_at)
       select r.id, ?, r.key, r.rule, r.severity, r.tenant_id, r.tenant_name, r.sku_id, r.title, r.action, ?, ?
       from json_to_recordset(?::json) as r(id uuid, key text, rule text, severity text, tenant_id uuid, tenant_name text, sku_id text, title text, action text)
       on conflict (organization_id, key) where resolved_at is null do nothing
       returning ${ALERT_COLUMNS}`,
      [organizationId, now, now, JSON.stringify(rows)],
    );
    return opened.map(toAlert);
  }

  async refresh(organizationId: string, conditions: readonly AlertCondition[], now: Date): Promise<void> {
    if (conditions.length === 0) return;
    const rows = conditions.map((c) => ({ key: c.key, title: c.title, action: c.action, severity: c.severity, tenant_name: c.tenantName }));
    await boundSql(
      this.em,
      `update alerts a set title = r.title, action = r.action, severity = r.severity, tenant_name = r.tenant_name, last_seen_at = ?
       from json_to_recordset(?::json) as r(key text, title text, action text, severity text, tenant_name text)
       where a.organization_id = ? and a.key = r.key and a.resolved_at is null`,
      [now, JSON.stringify(rows), organizationId],
    );
  }

  async resolve(organizationId: string, alertIds: string[], now: Date): Promise<Alert[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.sql<AlertRow>(
      `update alerts set resolved_at = ? where organization_id = ? and id in (?) and resolved_at is null returning ${ALERT_COLUMNS}`,
      [now, organizationId, alertIds],
    );
    return rows.map(toAlert);
  }

  async acknowledge(organizationId: string, alertId: string, byName: string, at: Date): Promise<boolean> {
    if (!isGuid(alertId)) return false;
    const rows = await this.sql<{ id: string }>(
      'update alerts set acknowledged_at = ?, acknowledged_by_name = ? where organization_id = ? and id = ? and resolved_at is null returning id',
      [at, byName, organizationId, alertId],
    );
    return rows.length > 0;
  }

  async history(organizationId: string, limit: number): Promise<Alert[]> {
    return (
      await this.sql<AlertRow>(
        `select ${ALERT_COLUMNS} from alerts where organization_id = ? and resolved_at is not null order by resolved_at desc, id limit ?`,
        [organizationId, limit],
      )
    ).map(toAlert);
  }

  async recordEvaluation(organizationId: string, at: Date): Promise<void> {
    await this.sql(
      'insert into alert_evaluations (organization_id, evaluated_at) values (?, ?) on conflict (organization_id) do update set evaluated_at = excluded.evaluated_at',
      [organizationId, at],
    );
  }

  async evaluatedOrganizations(): Promise<string[]> {
    return (await this.sql<{ organization_id: string }>('select organization_id from alert_evaluations order by organization_id')).map(
      (r) => r.organization_id,
    );
  }

  async emailPreferences(organizationId: string, staffUserIds: string[]): Promise<Map<string, EmailPreferences>> {
    const map = new Map<string, EmailPreferences>(staffUserIds.map((id) => [id, { ...DEFAULT_EMAIL_PREFERENCES }]));
    const ids = staffUserIds.filter(isGuid);
    if (ids.length === 0) return map;
    const rows = await this.sql<{
      staff_user_id: string;
      immediate: boolean;
      digest: EmailPreferences['digest'];
      unsubscribed_rules: AlertRuleId[];
    }>(
      'select staff_user_id, immediate, digest, unsubscribed_rules from alert_email_preferences where organization_id = ? and staff_user_id in (?)',
      [organizationId, ids],
    );
    for (const r of rows)
      map.set(r.staff_user_id, { immediate: r.immediate, digest: r.digest, unsubscribedRules: r.unsubscribed_rules ?? [] });
    return map;
  }

  async saveEmailPreferences(organizationId: string, staffUserId: string, p: EmailPreferences, at: Date): Promise<void> {
    await this.sql(
      `insert into alert_email_preferences (organization_id, staff_user_id, immediate, digest, unsubscribed_rules, updated_at) values (?, ?, ?, ?, ?::text[], ?)
       on conflict (organization_id, staff_user_id) do update set immediate = excluded.immediate, digest = excluded.digest, unsubscribed_rules = excluded.unsubscribed_rules, updated_at = excluded.updated_at`,
      [organizationId, staffUserId, p.immediate, p.digest, `{${p.unsubscribedRules.join(',')}}`, at],
    );
  }

  async recordEmail(e: Omit<AlertEmailRow, 'state' | 'sentAt' | 'error'>): Promise<string | null> {
    const [row] = await this.sql<{ id: string }>(
      `insert into alert_emails (id, organization_id, staff_user_id, kind, dedupe_key, alert_ids, recipient, state, created_at) values (?, ?, ?, ?, ?, ?::uuid[], ?, 'pending', ?)
       on conflict (organization_id, staff_user_id, kind, dedupe_key) do nothing returning id`,
      [e.id, e.organizationId, e.staffUserId, e.kind, e.dedupeKey, `{${e.alertIds.join(',')}}`, e.recipient, e.createdAt],
    );
    return row?.id ?? null;
  }

  async hasEmail(organizationId: string, staffUserId: string, kind: 'immediate' | 'digest', dedupeKey: string): Promise<boolean> {
    const rows = await this.sql(
      'select 1 from alert_emails where organization_id = ? and staff_user_id = ? and kind = ? and dedupe_key = ?',
      [organizationId, staffUserId, kind, dedupeKey],
    );
    return rows.length > 0;
  }

  async claimEmail(emailId: string): Promise<AlertEmailRow | null> {
    if (!isGuid(emailId)) return null;
    const [row] = await this.sql<EmailRow>(
      `update alert_emails set state = 'sending' where id = ? and state = 'pending' returning ${EMAIL_COLUMNS}`,
      [emailId],
    );
    return row ? toEmail(row) : null;
  }

  async pendingEmails(before: Date, limit: number): Promise<string[]> {
    return (
      await this.sql<{ id: string }>(`select id from alert_emails where state = 'pending' and created_at < ? order by created_at limit ?`, [
        before,
        limit,
      ])
    ).map((r) => r.id);
  }

  async finishEmail(organizationId: string, emailId: string, outcome: { sentAt: Date } | { error: string }): Promise<void> {
    if ('sentAt' in outcome)
      await this.sql(`update alert_emails set state = 'sent', sent_at = ?, error = null where organization_id = ? and id = ?`, [
        outcome.sentAt,
        organizationId,
        emailId,
      ]);
    else
      await this.sql(`update alert_emails set state = 'failed', error = ? where organization_id = ? and id = ?`, [
        outcome.error,
        organizationId,
        emailId,
      ]);
  }
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    organizationId: r.organization_id,
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    skuId: r.sku_id,
    title: r.title,
    action: r.action,
    openedAt: sqlTime(r.opened_at),
    lastSeenAt: sqlTime(r.last_seen_at),
    resolvedAt: sqlTime(r.resolved_at),
    acknowledgedAt: sqlTime(r.acknowledged_at),
    acknowledgedByName: r.acknowledged_by_name,
  };
}

function toMute(r: MuteRow): AlertMute {
  return {
    id: r.id,
    organizationId: r.organization_id,
    rule: r.rule,
    tenantId: r.tenant_id,
    skuId: r.sku_id,
    reason: r.reason,
    until: sqlTime(r.until),
    createdAt: sqlTime(r.created_at),
    createdByName: r.created_by_name,
  };
}

function toEmail(r: EmailRow): AlertEmailRow {
  return {
    id: r.id,
    organizationId: r.organization_id,
    staffUserId: r.staff_user_id,
    kind: r.kind,
    dedupeKey: r.dedupe_key,
    alertIds: r.alert_ids,
    recipient: r.recipient,
    state: r.state,
    createdAt: sqlTime(r.created_at),
    sentAt: sqlTime(r.sent_at),
    error: r.error,
  };
}
