import type { AlertCondition } from './alert-facts';
import type { AlertRuleId } from './alert-rules';
import { DomainError } from '../../../shared/domain/domain-error';

export class InvalidAlertMuteError extends DomainError {
  readonly code = 'ALERTS.INVALID_MUTE';
  constructor(
    message: string,
    fix: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

// Silences alerts of a rule (or of every rule) for a customer, a product of a customer, or everywhere — with the
// reason someone gave and, optionally, until a date. Muted alerts stay listed (under Muted) but send no e-mail.
export interface AlertMute {
  id: string;
  organizationId: string;
  rule: AlertRuleId | null;
  tenantId: string | null;
  skuId: string | null;
  reason: string;
  until: Date | null;
  createdAt: Date;
  createdByName: string;
}

export function muteApplies(
  mute: Pick<AlertMute, 'rule' | 'tenantId' | 'skuId' | 'until'>,
  condition: Pick<AlertCondition, 'rule' | 'tenantId' | 'skuId'>,
  now: Date,
): boolean {
  if (mute.until && mute.until.getTime() <= now.getTime()) return false;
  if (mute.rule && mute.rule !== condition.rule) return false;
  if (mute.tenantId && mute.tenantId.toLowerCase() !== condition.tenantId?.toLowerCase()) return false;
  if (mute.skuId && mute.skuId.toLowerCase() !== condition.skuId?.toLowerCase()) return false;
  return true;
}

export function validateMute(
  input: { reason: string; until: Date | null; rule: AlertRuleId | null; tenantId: string | null },
  now: Date,
): void {
  if (input.reason.trim().length < 3)
    throw new InvalidAlertMuteError(
      'Say why the alert is muted.',
      'Write a short reason, e.g. “customer is leaving at the end of the month”.',
      'reason',
    );
  if (input.reason.length > 500)
    throw new InvalidAlertMuteError('The reason is longer than 500 characters.', 'Shorten the reason.', 'reason');
  if (input.until && input.until.getTime() <= now.getTime())
    throw new InvalidAlertMuteError(
      'The end date is in the past.',
      'Choose a date after today, or leave it empty to mute until you lift the mute.',
      'until',
    );
  if (!input.rule && !input.tenantId)
    throw new InvalidAlertMuteError(
      'A mute of every rule for every customer would silence all alerts.',
      'Choose a rule, a customer, or both.',
      'rule',
    );
}
