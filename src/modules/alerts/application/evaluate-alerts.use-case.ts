import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import type { Alert } from '../domain/alert';
import { AlertRuleSettings } from '../domain/alert-rules';
import type { AlertCondition } from '../domain/alert-facts';
import { evaluateAlertRules, oneAlertPerKey } from '../domain/evaluate-alert-rules';
import { ALERT_OPENED, ALERT_RESOLVED, type AlertPayload } from '../events';
import { AlertFactsReader } from './alert-facts.reader';
import { AlertRepository } from './ports/alert.repository';

export interface EvaluationOutcome {
  opened: Alert[];
  resolved: Alert[];
  open: number;
}

// Evaluates the organization's rules and brings its alerts in line: opens what is new, keeps the words of what
// lasts current, resolves what cleared. Safe on two instances at once: the open-key index lets one alert open and
// a resolve only counts rows it changed, so alert.opened / alert.resolved go out once.
@Injectable()
export class EvaluateAlertsUseCase {
  constructor(
    private readonly facts: AlertFactsReader,
    private readonly alerts: AlertRepository,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(organizationId: string): Promise<EvaluationOutcome> {
    const now = this.clock.now();
    const settings = AlertRuleSettings.of(await this.alerts.ruleSettings(organizationId));
    // A page of tenants at a time: what is kept is the conditions found, not every tenant's facts.
    const found: AlertCondition[] = [];
    for await (const tenants of this.facts.tenantPages(organizationId))
      found.push(...evaluateAlertRules({ tenants, connections: [], external: [] }, settings, now));
    found.push(...evaluateAlertRules({ tenants: [], ...(await this.facts.organizationFacts(organizationId)) }, settings, now));
    const conditions = oneAlertPerKey(found);
    return this.transaction.run(async () => {
      const existing = await this.alerts.openAlerts(organizationId);
      const openKeys = new Set(existing.map((a) => a.key));
      const foundKeys = new Set(conditions.map((c) => c.key));
      await this.alerts.refresh(
        organizationId,
        conditions.filter((c) => openKeys.has(c.key)),
        now,
      );
      const opened = await this.alerts.open(
        organizationId,
        conditions.filter((c) => !openKeys.has(c.key)).map((condition) => ({ id: randomUUID(), condition })),
        now,
      );
      const resolved = await this.alerts.resolve(
        organizationId,
        existing.filter((a) => !foundKeys.has(a.key)).map((a) => a.id),
        now,
      );
      // At once, in this order: a first evaluation at partner scale opens thousands, and an entity each in the unit of
      // work (flushed at commit) cost memory and time that one insert statement does not.
      await this.outbox.publishAll([
        ...opened.map((alert) => integrationEvent<AlertPayload>(ALERT_OPENED, organizationId, alertPayload(alert), now)),
        ...resolved.map((alert) => integrationEvent<AlertPayload>(ALERT_RESOLVED, organizationId, alertPayload(alert), now)),
      ]);
      await this.alerts.recordEvaluation(organizationId, now);
      return { opened, resolved, open: conditions.length };
    });
  }
}

export function alertPayload(alert: Alert): AlertPayload {
  return {
    alertId: alert.id,
    key: alert.key,
    rule: alert.rule,
    severity: alert.severity,
    tenantId: alert.tenantId,
    tenantName: alert.tenantName,
    skuId: alert.skuId,
    title: alert.title,
    action: alert.action,
    openedAt: alert.openedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
  };
}
