import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import type { Alert } from '../domain/alert';
import { SEVERITY_ORDER } from '../domain/alert';
import { muteApplies, type AlertMute } from '../domain/alert-mute';
import { AlertRuleSettings } from '../domain/alert-rules';
import { AlertRepository, type StoredRuleSetting } from './ports/alert.repository';

export interface AlertCentre {
  open: Alert[];
  muted: { alert: Alert; mute: AlertMute }[];
  mutes: AlertMute[];
  history: Alert[];
}

// The alert centre's reads, within one organization.
@Injectable()
export class AlertCentreQueries {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly clock: Clock,
  ) {}

  async centre(organizationId: string, historySize: number): Promise<AlertCentre> {
    const now = this.clock.now();
    const [open, mutes, history] = await Promise.all([
      this.alerts.openAlerts(organizationId),
      this.alerts.activeMutes(organizationId, now),
      this.alerts.history(organizationId, historySize),
    ]);
    const sorted = [...open].sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        a.openedAt.getTime() - b.openedAt.getTime() ||
        a.title.localeCompare(b.title),
    );
    const result: AlertCentre = { open: [], muted: [], mutes, history };
    for (const alert of sorted) {
      const mute = mutes.find((m) => muteApplies(m, alert, now));
      if (mute) result.muted.push({ alert, mute });
      else result.open.push(alert);
    }
    return result;
  }

  async alert(organizationId: string, alertId: string): Promise<Alert | null> {
    return this.alerts.find(organizationId, alertId);
  }

  async rules(organizationId: string): Promise<{ settings: AlertRuleSettings; stored: StoredRuleSetting[] }> {
    const stored = await this.alerts.ruleSettings(organizationId);
    return { settings: AlertRuleSettings.of(stored), stored };
  }
}
