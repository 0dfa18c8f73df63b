import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { StaffDirectory } from '../../accounts';
import { alertMail } from './alert-email-content';
import { AlertEmailOptions } from './alert-email-options';
import { AlertRepository } from './ports/alert.repository';
import { Mailer } from './ports/mailer.port';

// Sends one recorded mail. The row is claimed first (pending → sending, one instance wins), so a job that runs
// twice, or on two instances, sends once. A process that dies between the claim and the send leaves the row
// 'sending': that mail is not sent again (at most once: a duplicate alert mail is the worse failure).
@Injectable()
export class SendAlertEmailUseCase {
  private readonly logger = new Logger('AlertEmail');

  constructor(
    private readonly alerts: AlertRepository,
    private readonly staff: StaffDirectory,
    private readonly mailer: Mailer,
    private readonly options: AlertEmailOptions,
    private readonly clock: Clock,
  ) {}

  async execute(emailId: string): Promise<'sent' | 'failed' | 'skipped'> {
    const email = await this.alerts.claimEmail(emailId);
    if (!email) return 'skipped';
    const [member, organizationName, alerts] = await Promise.all([
      this.staff.member(email.organizationId, email.staffUserId),
      this.staff.organizationName(email.organizationId),
      this.alerts.findMany(email.organizationId, email.alertIds),
    ]);
    const current = alerts.filter((a) => a.resolvedAt === null);
    if (!member || current.length === 0) {
      await this.alerts.finishEmail(email.organizationId, email.id, {
        error: member
          ? 'Every alert of this mail was resolved before it was sent.'
          : 'The recipient is no longer a user of the organization.',
      });
      return 'skipped';
    }
    const recipient = {
      organizationId: email.organizationId,
      organizationName: organizationName ?? 'your organization',
      staffUserId: member.userId,
      displayName: member.displayName,
      emailAddress: email.recipient,
    };
    try {
      await this.mailer.send(alertMail(this.options, email.kind, recipient, current, email.dedupeKey));
      await this.alerts.finishEmail(email.organizationId, email.id, { sentAt: this.clock.now() });
      return 'sent';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ emailId: email.id, error: message }, 'An alert e-mail could not be sent');
      const why = this.mailer.configured
        ? `The mail server refused the mail: ${message}`
        : 'Alert e-mail is not set up on this server: an administrator sets SMTP_URL (and SMTP_FROM).';
      await this.alerts.finishEmail(email.organizationId, email.id, { error: why });
      return 'failed';
    }
  }
}
