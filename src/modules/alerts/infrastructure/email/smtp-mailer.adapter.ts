import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AlertEmailOptions } from '../../application/alert-email-options';
import { Mailer, type OutgoingMail } from '../../application/ports/mailer.port';

export class SmtpSettings {
  // smtp://user:pass@host:587 or smtps://…:465 (nodemailer's connection URL); null: e-mail is off.
  url: string | null = null;
}

// Sends through the SMTP server in SMTP_URL with nodemailer (one pooled transport per app instance).
@Injectable()
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private transport?: Transporter;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly options: AlertEmailOptions,
  ) {
    super();
  }

  get configured(): boolean {
    return this.settings.url !== null;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.settings.url) throw new Error('No SMTP server is configured (SMTP_URL).');
    this.transport ??= createTransport(this.settings.url);
    await this.transport.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: mail.headers,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
