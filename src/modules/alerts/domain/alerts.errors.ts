import { DomainError } from '../../../shared/domain/domain-error';

export class AlertNotFoundError extends DomainError {
  readonly code = 'ALERTS.ALERT_NOT_FOUND';
  constructor() {
    super(
      'This alert is not open (any more).',
      'It may have been resolved meanwhile: the alert centre lists the open ones, and its history the resolved ones.',
    );
  }
}

export class AlertMuteNotFoundError extends DomainError {
  readonly code = 'ALERTS.MUTE_NOT_FOUND';
  constructor() {
    super('This mute is not active (any more).', 'It may have ended or been lifted already: the alert centre lists the active mutes.');
  }
}

export class InvalidAlertRuleSettingError extends DomainError {
  readonly code = 'ALERTS.INVALID_RULE_SETTING';
  constructor(
    message: string,
    fix: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

export class UnsubscribeLinkInvalidError extends DomainError {
  readonly code = 'ALERTS.UNSUBSCRIBE_LINK_INVALID';
  constructor() {
    super(
      'This unsubscribe link is not valid.',
      'Use the link from the latest alert e-mail as it is, or sign in and choose your mails under Alerts → E-mail preferences.',
    );
  }
}
