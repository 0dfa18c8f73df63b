export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

// Sends e-mail (SMTP in production, the local MailDev inbox in demo mode). `configured` is false when no SMTP
// server is set: alerts are then shown in the app only.
export abstract class Mailer {
  abstract readonly configured: boolean;
  abstract send(mail: OutgoingMail): Promise<void>;
}
