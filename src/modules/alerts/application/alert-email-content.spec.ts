import type { Alert } from '../domain/alert';
import { alertMail } from './alert-email-content';
import { AlertEmailOptions, readUnsubscribeToken, unsubscribeToken } from './alert-email-options';
import { isoWeek, localDate } from './plan-alert-emails.use-case';

const options = Object.assign(new AlertEmailOptions(), {
  appBaseUrl: 'https://sync365.example.com/',
  signingKey: Buffer.from('k'.repeat(32)),
});
const recipient = {
  organizationId: '11111111-1111-1111-1111-111111111111',
  organizationName: 'Contoso <Partners>',
  staffUserId: '22222222-2222-2222-2222-222222222222',
  displayName: 'Ada',
  emailAddress: 'ada@contoso.example',
};

function alert(overrides: Partial<Alert> = {}): Alert {
  const at = new Date('2026-12-07T10:00:00Z');
  return {
    id: '33333333-3333-3333-3333-333333333333',
    organizationId: recipient.organizationId,
    key: 'over-assigned:t:s',
    rule: 'over-assigned',
    severity: 'critical',
    tenantId: 't',
    tenantName: 'Coho Winery',
    skuId: 's',
    title: 'Coho Winery: E3 is over-assigned by 3 seats',
    action: 'Buy 3 more seats <now>',
    openedAt: at,
    lastSeenAt: at,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedByName: null,
    ...overrides,
  };
}

describe('alert e-mail', () => {
  it('writes an immediate mail in text and escaped HTML with links back to the app and a per-rule unsubscribe link', () => {
    const mail = alertMail(options, 'immediate', recipient, [alert()]);
    expect(mail.to).toBe('ada@contoso.example');
    expect(mail.subject).toBe('[Sync 365] Critical: Coho Winery: E3 is over-assigned by 3 seats');
    expect(mail.text).toContain('https://sync365.example.com/alerts#alert-33333333-3333-3333-3333-333333333333');
    expect(mail.text).toContain('What to do: Buy 3 more seats <now>');
    expect(mail.html).toContain('Buy 3 more seats &lt;now&gt;');
    expect(mail.html).not.toContain('<now>');
    const link = /Stop mails about "Over-assigned seats": (\S+)/.exec(mail.text)![1];
    expect(link.startsWith('https://sync365.example.com/alerts/unsubscribe?token=')).toBe(true);
    expect(mail.headers!['List-Unsubscribe']).toBe(`<${link}>`);
    expect(readUnsubscribeToken(options, new URL(link).searchParams.get('token')!)).toEqual({
      organizationId: recipient.organizationId,
      staffUserId: recipient.staffUserId,
      rule: 'over-assigned',
    });
  });

  it('names a digest by its period and counts its alerts', () => {
    const mail = alertMail(
      options,
      'digest',
      recipient,
      [
        alert({ severity: 'warning', rule: 'gdap-expired' }),
        alert({ id: '44444444-4444-4444-4444-444444444444', severity: 'info', rule: 'gdap-expiring' }),
      ],
      '2026-W50',
    );
    expect(mail.subject).toBe('[Sync 365] Weekly alert digest for Contoso <Partners>: 2 open alerts');
    expect(mail.text.match(/Stop mails about/g)).toHaveLength(2);
  });

  it('refuses an unsubscribe token that was changed or signed with another key', () => {
    const token = unsubscribeToken(options, {
      organizationId: recipient.organizationId,
      staffUserId: recipient.staffUserId,
      rule: 'over-assigned',
    });
    const [body, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify([recipient.organizationId, '55555555-5555-5555-5555-555555555555', 'over-assigned'])).toString(
      'base64url',
    );
    expect(readUnsubscribeToken(options, `${other}.${signature}`)).toBeNull();
    expect(readUnsubscribeToken(Object.assign(new AlertEmailOptions(), { signingKey: Buffer.from('x'.repeat(32)) }), token)).toBeNull();
    expect(readUnsubscribeToken(options, body)).toBeNull();
  });

  it('keys digests by the local day or ISO week of the organization', () => {
    const lateEvening = new Date('2026-12-07T23:30:00Z');
    expect(localDate(lateEvening, 'UTC')).toBe('2026-12-07');
    expect(localDate(lateEvening, 'Europe/Paris')).toBe('2026-12-08');
    expect(isoWeek(new Date('2026-12-07T10:00:00Z'), 'UTC')).toBe('2026-W50');
    expect(isoWeek(new Date('2027-01-01T10:00:00Z'), 'UTC')).toBe('2026-W53');
  });
});
