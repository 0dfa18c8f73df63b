import { DomainError } from '../../../shared/domain/domain-error';

// An exclusion a partner admin asked for that cannot work as written (the message says which part).
export class InvalidExclusionError extends DomainError {
  readonly code = 'LICENSING.INVALID_EXCLUSION';
  // The form field at fault, when there is one (the dashboard shows the message beside it).
  constructor(
    message: string,
    fix?: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

// "Run now" with nothing to read through: the run would start no import and never finish, so it is refused
// saying what is missing and where to fix it.
export class NoConnectedAccountError extends DomainError {
  constructor(
    readonly code: 'LICENSING.NO_CONNECTED_ACCOUNT' | 'LICENSING.CONNECTED_ACCOUNTS_NEED_RECONSENT',
    message: string,
    fix: string,
  ) {
    super(message, fix);
  }

  static none(): NoConnectedAccountError {
    return new NoConnectedAccountError(
      'LICENSING.NO_CONNECTED_ACCOUNT',
      'The reconciliation did not start: no Partner Center account is connected, so Sync 365 has no customers to read.',
      'Open Customers → Delegated Admin and press Grant Partner Center Consent, signing in with your Sync 365 service account (an Admin Agent with MFA). The reconciliation then runs after the import.',
    );
  }

  static allNeedReconsent(accounts: readonly string[]): NoConnectedAccountError {
    return new NoConnectedAccountError(
      'LICENSING.CONNECTED_ACCOUNTS_NEED_RECONSENT',
      `The reconciliation did not start: Microsoft no longer accepts the consent of ${accounts.length === 1 ? `the only connected Partner Center account (${accounts[0]})` : `any connected Partner Center account (${accounts.join(', ')})`}, so Sync 365 cannot read your customers.`,
      'Open Customers → Delegated Admin and press Re-grant next to the account, signing in with it again. The reconciliation then runs after the import.',
    );
  }
}

// An organization time zone that is not an IANA name the runtime knows ('Europe/Amsterdam', 'UTC').
export class InvalidTimeZoneError extends DomainError {
  readonly code = 'LICENSING.INVALID_TIME_ZONE';
  readonly field = 'timeZone';
  constructor(readonly timeZone: string) {
    super(`“${timeZone}” is not a time zone Sync 365 knows.`, 'Choose a time zone from the list, for example Europe/Amsterdam.');
  }
}

// A daily run time that is not a 24-hour "HH:mm" wall-clock time.
export class InvalidRunTimeError extends DomainError {
  readonly code = 'LICENSING.INVALID_RUN_TIME';
  readonly field = 'runAt';
  constructor(readonly runAtLocalTime: string) {
    super(`“${runAtLocalTime}” is not a time of day.`, 'Give the time as HH:mm on a 24-hour clock, for example 02:00.');
  }
}
