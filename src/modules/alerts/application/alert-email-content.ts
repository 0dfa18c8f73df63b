import type { Alert } from '../domain/alert';
import { SEVERITY_LABELS, SEVERITY_ORDER } from '../domain/alert';
import { ruleDefinition, type AlertRuleId } from '../domain/alert-rules';
import { unsubscribeToken, type AlertEmailOptions } from './alert-email-options';
import type { OutgoingMail } from './ports/mailer.port';

export interface MailRecipient {
  organizationId: string;
  organizationName: string;
  staffUserId: string;
  displayName: string;
  emailAddress: string;
}

// The words of an alert mail, plain text and HTML, with links back to the app and one unsubscribe link per rule.
export function alertMail(
  options: AlertEmailOptions,
  kind: 'immediate' | 'digest',
  recipient: MailRecipient,
  alerts: Alert[],
  period?: string,
): OutgoingMail {
  const sorted = [...alerts].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.title.localeCompare(b.title));
  const base = options.appBaseUrl.replace(/\/+$/, '');
  const centre = `${base}/alerts`;
  const preferences = `${base}/alerts/preferences`;
  const rules = [...new Set(sorted.map((a) => a.rule))];
  const unsubscribe = (rule: AlertRuleId) =>
    `${base}/alerts/unsubscribe?token=${unsubscribeToken(options, { organizationId: recipient.organizationId, staffUserId: recipient.staffUserId, rule })}`;
  const subject =
    kind === 'immediate'
      ? `[Sync 365] ${SEVERITY_LABELS[sorted[0].severity]}: ${sorted[0].title}`
      : `[Sync 365] ${period?.includes('W') ? 'Weekly' : 'Daily'} alert digest for ${recipient.organizationName}: ${sorted.length} open alert${sorted.length === 1 ? '' : 's'}`;
  const intro =
    kind === 'immediate'
      ? `Sync 365 opened a critical alert for ${recipient.organizationName}.`
      : `${sorted.length} alert${sorted.length === 1 ? ' is' : 's are'} open for ${recipient.organizationName}.`;

  const text = [
    `Hello ${recipient.displayName},`,
    '',
    intro,
    '',
    ...sorted.flatMap((a) => [
      `* [${SEVERITY_LABELS[a.severity]}] ${a.title}`,
      `  What to do: ${a.action}`,
      `  Open since ${a.openedAt.toISOString().slice(0, 10)}: ${centre}#alert-${a.id}`,
      '',
    ]),
    `Open the alert centre: ${centre}`,
    `Choose which mails you get: ${preferences}`,
    '',
    ...rules.map((rule) => `Stop mails about "${ruleDefinition(rule)?.label ?? rule}": ${unsubscribe(rule)}`),
  ].join('\n');

  const html = `<!doctype html><html lang="en"><body style="font-family:Segoe UI,Arial,sans-serif;color:#1b1b1b">
<p>Hello ${escape(recipient.displayName)},</p>
<p>${escape(intro)}</p>
<ul>
${sorted
  .map(
    (
      a,
    ) => `<li style="margin-bottom:12px"><strong>${escape(SEVERITY_LABELS[a.severity])}:</strong> <a href="${escape(`${centre}#alert-${a.id}`)}">${escape(a.title)}</a><br>
<span>What to do: ${escape(a.action)}</span><br><small>Open since ${escape(a.openedAt.toISOString().slice(0, 10))}</small></li>`,
  )
  .join('\n')}
</ul>
<p><a href="${escape(centre)}">Open the alert centre</a> · <a href="${escape(preferences)}">Choose which mails you get</a></p>
<p style="font-size:12px;color:#555">${rules.map((rule) => `<a href="${escape(unsubscribe(rule))}">Stop mails about “${escape(ruleDefinition(rule)?.label ?? rule)}”</a>`).join(' · ')}</p>
</body></html>`;

  return {
    to: recipient.emailAddress,
    subject,
    text,
    html,
    // One unsubscribe target for mail clients' own button: the first rule's link (RFC 2369).
    headers: { 'List-Unsubscribe': `<${unsubscribe(rules[0])}>` },
  };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
