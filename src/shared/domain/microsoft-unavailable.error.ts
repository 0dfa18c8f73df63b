import { DomainError } from './domain-error';

// Microsoft could not be reached or asked us to slow down; nothing was changed and the work can be retried.
export class MicrosoftUnavailableError extends DomainError {
  readonly code = 'MICROSOFT.UNAVAILABLE';
  constructor(
    service: string,
    detail?: string,
    // Microsoft throttled the call (429) and, where it said so, how long to wait: not a failure of the work.
    readonly throttled?: { retryAfterSeconds?: number },
  ) {
    super(
      `${service} did not answer as expected${detail ? ` (${detail})` : ''}.`,
      'Try again in a few minutes. Sync 365 retries scheduled work by itself.',
    );
  }
}
