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

// The role guard's refusal: a signed-in user whose role does not allow what they asked for. Nothing was changed.
export class RoleForbiddenError extends DomainError {
  readonly code = 'ACCOUNTS.ROLE_FORBIDDEN';
  constructor(roleName: string, requiredName: string) {
    super(
      `Your role in Sync 365 is ${roleName}, and this needs ${requiredName} or higher, so nothing was changed.`,
      'If you need to do this, ask an Owner of your organization to change your role under Settings → People.',
    );
  }
}

// Someone of the organization's directory who was never invited (or whose membership was removed).
export class NotInvitedError extends DomainError {
  readonly code = 'ACCOUNTS.NOT_INVITED_FORBIDDEN';
  constructor(organizationName: string, upn: string) {
    super(
      `${upn} is not a member of ${organizationName} in Sync 365 yet.`,
      `Ask an Owner of ${organizationName} to invite ${upn} under Settings → People, then sign in again.`,
    );
  }
}

// An invitation opened by someone who signed in with an account of another Microsoft directory.
export class InvitationOtherDirectoryError extends DomainError {
  readonly code = 'ACCOUNTS.INVITATION_OTHER_DIRECTORY_FORBIDDEN';
  constructor(organizationName: string, upn: string) {
    super(
      `This invitation is for people of ${organizationName}'s Microsoft directory, and ${upn} belongs to another directory, so it was not used.`,
      `Sign out of Microsoft, then open the invitation link again and sign in with your ${organizationName} work account.`,
    );
  }
}
