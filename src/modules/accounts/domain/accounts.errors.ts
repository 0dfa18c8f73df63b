import { DomainError } from '../../../shared/domain/domain-error';

export class SignInRequiredError extends DomainError {
  readonly code = 'AUTH.SIGN_IN_REQUIRED';
  constructor() {
    super('You need to sign in to see this page.', 'Sign in with your Microsoft work account.');
  }
}

export class SignInFailedError extends DomainError {
  readonly code = 'AUTH.SIGN_IN_FAILED';
}

export class SessionExpiredError extends DomainError {
  readonly code = 'AUTH.SESSION_EXPIRED';
  constructor() {
    super('Your session has ended.', 'Sign in again.');
  }
}
