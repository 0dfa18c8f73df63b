import { DomainError } from '../../../../shared/domain/domain-error';

// An exclusion a partner admin asked for that cannot work as written (the message says which part).
export class InvalidExclusionError extends DomainError {
  readonly code = 'LICENSING.INVALID_EXCLUSION';
}

// An organization time zone that is not an IANA name the runtime knows ('Europe/Amsterdam', 'UTC').
export class InvalidTimeZoneError extends DomainError {
  readonly code = 'LICENSING.INVALID_TIME_ZONE';
  constructor(readonly timeZone: string) {
    super(`“${timeZone}” is not a time zone Sync 365 knows.`, 'Choose a time zone from the list, for example Europe/Amsterdam.');
  }
}

// A daily run time that is not a 24-hour "HH:mm" wall-clock time.
export class InvalidRunTimeError extends DomainError {
  readonly code = 'LICENSING.INVALID_RUN_TIME';
  constructor(readonly runAtLocalTime: string) {
    super(`“${runAtLocalTime}” is not a time of day.`, 'Give the time as HH:mm on a 24-hour clock, for example 02:00.');
  }
}
