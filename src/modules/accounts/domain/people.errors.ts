import { DomainError } from '../../../shared/domain/domain-error';

// Refusals on Settings → People, each with the fix in plain words. `field` puts the message beside the form field.
export class InvitationEmailInvalidError extends DomainError {
  readonly code = 'ACCOUNTS.INVITATION_EMAIL_INVALID_PARAMETER';
  readonly field = 'email';
  constructor() {
    super('That is not an e-mail address.', 'Type your colleague’s work address, e.g. jane@your-company.com.');
  }
}

export class InvitationRoleInvalidError extends DomainError {
  readonly code = 'ACCOUNTS.ROLE_INVALID_PARAMETER';
  readonly field = 'role';
  constructor() {
    super('Choose one of the roles: Owner, Admin, Billing or Viewer.', 'Pick a role from the list.');
  }
}

export class AlreadyMemberError extends DomainError {
  readonly code = 'ACCOUNTS.MEMBER_ALREADY_EXISTS';
  readonly field = 'email';
  constructor(email: string) {
    super(`${email} is already a member of your organization.`, 'Change their role in the list instead.');
  }
}

export class StaffUserNotFoundError extends DomainError {
  readonly code = 'ACCOUNTS.STAFF_USER_NOT_FOUND';
  constructor() {
    super('That person is not a member of your organization (any more).', 'Go back to Settings → People and reload the list.');
  }
}

export class InvitationNotFoundError extends DomainError {
  readonly code = 'ACCOUNTS.INVITATION_NOT_FOUND';
  constructor() {
    super(
      'That invitation does not exist, or it was already used or withdrawn.',
      'Ask an Owner of your organization for a new invitation.',
    );
  }
}

export class LastOwnerError extends DomainError {
  readonly code = 'ACCOUNTS.LAST_OWNER_CONFLICT';
  constructor(what: 'remove' | 'demote') {
    super(
      what === 'remove'
        ? 'This is the organization’s last Owner, so they cannot be removed.'
        : 'This is the organization’s last Owner, so their role cannot be changed.',
      'Make another person an Owner first; then this change is possible.',
    );
  }
}
