import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { StaffDirectory } from '../../accounts';
import { OrganizationTimeZone } from '../../reconciliation';
import type { Alert } from '../domain/alert';
import { muteApplies } from '../domain/alert-mute';
import { AlertRepository } from './ports/alert.repository';
import { Mailer } from './ports/mailer.port';

export const SEND_ALERT_EMAIL_QUEUE = 'alerts.send-email';

// Decides who gets which alert mail after an evaluation: an immediate mail per critical alert that is neither
// muted nor unsubscribed, and one digest per recipient and day (or ISO week) of the rest, sent at the first
// evaluation of that period that finds something to say. Each mail is a row (recipient, kind, alert or period)
// before it is a job, so two instances planning at once record it once and send it once.
@Injectable()
export class PlanAlertEmailsUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly staff: StaffDirectory,
    private readonly timeZones: OrganizationTimeZone,
    private readonly mailer: Mailer,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(organizationId: string): Promise<number> {
    if (!this.mailer.configured) return 0;
    const now = this.clock.now();
    const members = await this.staff.members(organizationId);
    if (members.length === 0) return 0;
    const [open, mutes, preferences, timeZone] = await Promise.all([
      this.alerts.openAlerts(organizationId),
      this.alerts.activeMutes(organizationId, now),
      this.alerts.emailPreferences(
        organizationId,
        members.map((m) => m.userId),
      ),
      this.timeZones.of(organizationId).catch(() => 'UTC'),
    ]);
    const unmuted = open.filter((alert) => !mutes.some((mute) => muteApplies(mute, alert, now)));
    const recorded: string[] = [];
    await this.transaction.run(async () => {
      for (const member of members) {
        const prefs = preferences.get(member.userId)!;
        const wanted = unmuted.filter((a) => !prefs.unsubscribedRules.includes(a.rule));
        const record = async (kind: 'immediate' | 'digest', dedupeKey: string, alerts: Alert[]) => {
          const id = await this.alerts.recordEmail({
            id: randomUUID(),
            organizationId,
            staffUserId: member.userId,
            kind,
            dedupeKey,
            alertIds: alerts.map((a) => a.id),
            recipient: member.emailAddress,
            createdAt: now,
          });
          if (id) recorded.push(id);
        };
        if (prefs.immediate)
          for (const alert of wanted.filter((a) => a.severity === 'critical')) await record('immediate', alert.id, [alert]);
        if (prefs.digest === 'off') continue;
        const rest = wanted.filter((a) => a.severity !== 'critical' || !prefs.immediate);
        if (rest.length === 0) continue;
        const period = prefs.digest === 'weekly' ? isoWeek(now, timeZone) : localDate(now, timeZone);
        if (await this.alerts.hasEmail(organizationId, member.userId, 'digest', period)) continue;
        await record('digest', period, rest);
      }
    });
    // After the commit: a job for a row that exists. A job lost here is found again by the sweep (pending rows).
    for (const id of recorded) await this.jobs.enqueue(SEND_ALERT_EMAIL_QUEUE, { emailId: id }, { singletonKey: id });
    return recorded.length;
  }
}

export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// ISO 8601 week of the local date, e.g. 2026-W50.
export function isoWeek(now: Date, timeZone: string): string {
  const [y, m, d] = localDate(now, timeZone).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(date.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((date.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
