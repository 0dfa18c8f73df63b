import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { isGuid } from '../../../shared/domain/guid';
import { AuditTrail } from '../../audit';
import { validateMute, type AlertMute } from '../domain/alert-mute';
import { ALERT_RULES, isAlertRuleId, ruleDefinition, type AlertRuleId } from '../domain/alert-rules';
import {
  AlertMuteNotFoundError,
  AlertNotFoundError,
  InvalidAlertRuleSettingError,
  UnsubscribeLinkInvalidError,
} from '../domain/alerts.errors';
import { InvalidAlertMuteError } from '../domain/alert-mute';
import { AlertEmailOptions, readUnsubscribeToken } from './alert-email-options';
import { AlertRepository, type EmailPreferences } from './ports/alert.repository';

export interface MuteInput {
  // 'alert': the alert's rule for its customer (and product); 'tenant': every rule for its customer; 'rule': its rule everywhere.
  scope: unknown;
  reason: unknown;
  // yyyy-mm-dd, or empty: until lifted.
  until: unknown;
}

// What a person decides about alerts: acknowledge one, mute, lift a mute, switch rules and thresholds, and their
// own e-mail. Every decision about the organization's alerts is audited.
@Injectable()
export class ManageAlertsUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    private readonly emailOptions: AlertEmailOptions,
  ) {}

  acknowledge(actor: Actor, alertId: string): Promise<void> {
    return this.transaction.run(async () => {
      const alert = await this.alerts.find(actor.organizationId, alertId);
      if (
        !alert ||
        alert.resolvedAt ||
        !(await this.alerts.acknowledge(actor.organizationId, alertId, actor.displayName, this.clock.now()))
      )
        throw new AlertNotFoundError();
      this.record(actor, 'alerts.acknowledged', alert.title, `Rule: ${ruleDefinition(alert.rule)?.label ?? alert.rule}.`);
    });
  }

  mute(actor: Actor, alertId: string, input: MuteInput): Promise<AlertMute> {
    return this.transaction.run(async () => {
      const alert = await this.alerts.find(actor.organizationId, alertId);
      if (!alert || alert.resolvedAt) throw new AlertNotFoundError();
      const now = this.clock.now();
      const scope = input.scope === 'tenant' || input.scope === 'rule' ? input.scope : 'alert';
      if (scope === 'tenant' && !alert.tenantId)
        throw new InvalidAlertMuteError('This alert concerns no customer.', 'Mute this alert, or its rule everywhere.', 'scope');
      const mute: AlertMute = {
        id: randomUUID(),
        organizationId: actor.organizationId,
        rule: scope === 'tenant' ? null : alert.rule,
        tenantId: scope === 'rule' ? null : alert.tenantId,
        skuId: scope === 'alert' ? alert.skuId : null,
        reason: typeof input.reason === 'string' ? input.reason.trim() : '',
        until: parseUntil(input.until),
        createdAt: now,
        createdByName: actor.displayName,
      };
      // Without a customer, the alert's rule is muted everywhere (a connection's alerts).
      validateMute({ ...mute, tenantId: mute.tenantId ?? (mute.rule ? null : alert.tenantId) }, now);
      await this.alerts.addMute(mute);
      const what =
        scope === 'tenant'
          ? `every alert for ${alert.tenantName}`
          : scope === 'rule'
            ? `“${ruleDefinition(alert.rule)?.label}” for every customer`
            : alert.title;
      this.record(
        actor,
        'alerts.muted',
        what,
        `${mute.until ? `Until ${mute.until.toISOString().slice(0, 10)}` : 'Until lifted'}. Reason: ${mute.reason}`,
      );
      return mute;
    });
  }

  liftMute(actor: Actor, muteId: string): Promise<void> {
    return this.transaction.run(async () => {
      const mute = await this.alerts.liftMute(actor.organizationId, muteId, this.clock.now());
      if (!mute) throw new AlertMuteNotFoundError();
      this.record(
        actor,
        'alerts.mute-lifted',
        mute.rule ? (ruleDefinition(mute.rule)?.label ?? mute.rule) : 'Every rule',
        `Muted by ${mute.createdByName}: ${mute.reason}`,
      );
    });
  }

  // `values`: the form's fields, `<rule>.enabled` ('on') and `<rule>.threshold` (days).
  saveRules(actor: Actor, values: Record<string, unknown>): Promise<void> {
    return this.transaction.run(async () => {
      const now = this.clock.now();
      const current = new Map((await this.alerts.ruleSettings(actor.organizationId)).map((s) => [s.rule, s]));
      const changes: string[] = [];
      for (const rule of ALERT_RULES) {
        const enabled = values[`${rule.id}.enabled`] === 'on' || values[`${rule.id}.enabled`] === 'true';
        let thresholdDays: number | null = null;
        if (rule.defaultThresholdDays !== undefined) {
          const raw = String(values[`${rule.id}.threshold`] ?? rule.defaultThresholdDays).trim();
          thresholdDays = Number(raw);
          if (!/^\d+$/.test(raw) || thresholdDays < 1 || thresholdDays > 365) {
            throw new InvalidAlertRuleSettingError(
              `“${rule.label}”: the number of ${rule.thresholdLabel} must be a whole number from 1 to 365, not “${raw}”.`,
              'Correct the number and save again.',
              `${rule.id}.threshold`,
            );
          }
        }
        const before = current.get(rule.id) ?? { enabled: true, thresholdDays: rule.defaultThresholdDays ?? null };
        if (before.enabled === enabled && (before.thresholdDays ?? rule.defaultThresholdDays ?? null) === thresholdDays) continue;
        await this.alerts.saveRuleSetting(actor.organizationId, {
          rule: rule.id,
          enabled,
          thresholdDays,
          updatedAt: now,
          updatedByName: actor.displayName,
        });
        changes.push(
          `${rule.label}: ${enabled ? 'on' : 'off'}${thresholdDays !== null ? `, ${thresholdDays} ${rule.thresholdLabel}` : ''}`,
        );
      }
      if (changes.length > 0) this.record(actor, 'alerts.rules-changed', 'Alert rules', changes.join('; '));
    });
  }

  async preferences(actor: Actor): Promise<EmailPreferences> {
    return (await this.alerts.emailPreferences(actor.organizationId, [actor.userId])).get(actor.userId)!;
  }

  // A person's own mail: not an organization decision, so not audited (unsubscribing from a link is, below).
  savePreferences(actor: Actor, values: Record<string, unknown>): Promise<void> {
    const digest = values.digest === 'weekly' || values.digest === 'off' ? values.digest : 'daily';
    const chosen = new Set(([] as unknown[]).concat(values.rules ?? []).filter(isAlertRuleId));
    const preferences: EmailPreferences = {
      immediate: values.immediate === 'on' || values.immediate === 'true',
      digest,
      unsubscribedRules: ALERT_RULES.map((r) => r.id).filter((id) => !chosen.has(id)),
    };
    return this.transaction.run(() => this.alerts.saveEmailPreferences(actor.organizationId, actor.userId, preferences, this.clock.now()));
  }

  // From the signed link in a mail, without signing in.
  unsubscribe(token: unknown): Promise<{ rule: AlertRuleId }> {
    const request = typeof token === 'string' ? readUnsubscribeToken(this.emailOptions, token) : null;
    if (!request || !isGuid(request.organizationId) || !isGuid(request.staffUserId)) throw new UnsubscribeLinkInvalidError();
    return this.transaction.run(async () => {
      const current = (await this.alerts.emailPreferences(request.organizationId, [request.staffUserId])).get(request.staffUserId)!;
      if (!current.unsubscribedRules.includes(request.rule)) {
        await this.alerts.saveEmailPreferences(
          request.organizationId,
          request.staffUserId,
          { ...current, unsubscribedRules: [...current.unsubscribedRules, request.rule] },
          this.clock.now(),
        );
      }
      this.audit.record({
        organizationId: request.organizationId,
        actorUserId: request.staffUserId,
        actorName: 'Unsubscribe link in an alert e-mail',
        action: 'alerts.unsubscribed',
        subject: ruleDefinition(request.rule)?.label ?? request.rule,
        outcome: 'success',
      });
      return { rule: request.rule };
    });
  }

  private record(
    actor: Actor,
    action: 'alerts.acknowledged' | 'alerts.muted' | 'alerts.mute-lifted' | 'alerts.rules-changed',
    subject: string,
    detail: string,
  ): void {
    this.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action,
      subject,
      outcome: 'success',
      detail,
    });
  }
}

function parseUntil(raw: unknown): Date | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(new Date(`${text}T00:00:00Z`).getTime())) {
    throw new InvalidAlertMuteError(
      `“${text}” is not a date.`,
      'Choose the date the mute ends (e.g. 2027-01-31), or leave it empty.',
      'until',
    );
  }
  // The end of that day (UTC): muted through the date chosen.
  return new Date(`${text}T23:59:59Z`);
}
