import { DomainError } from '../../../shared/domain/domain-error';

// Every refusal says why and who can help, in words a customer's employee understands. Codes end in the
// suffixes the error filter maps (FORBIDDEN 403, NOT_FOUND 404, CONFLICT 409, else 422).

// Why a signed-in Microsoft account does not get into the licence portal.
export class PortalAccessRefusedError extends DomainError {
  constructor(
    readonly code: 'PORTAL.NOT_AVAILABLE_FORBIDDEN' | 'PORTAL.PARTNER_STAFF_FORBIDDEN' | 'PORTAL.USER_NOT_ADDED_FORBIDDEN',
    message: string,
    fix: string,
  ) {
    super(message, fix);
  }
}

export class PortalSignInRequiredError extends DomainError {
  readonly code = 'PORTAL.SIGN_IN_REQUIRED';
  constructor() {
    super('Sign in to see your licences.', 'Sign in with your Microsoft work account.');
  }
}

export class PortalSignInFailedError extends DomainError {
  readonly code = 'PORTAL.SIGN_IN_FAILED';
}

export class PortalRoleForbiddenError extends DomainError {
  readonly code = 'PORTAL.ROLE_FORBIDDEN';
  constructor(what: string, partnerName: string) {
    super(
      `Your role in the licence portal does not allow you to ${what}.`,
      `Ask an Admin of your organization's licence portal, or ${partnerName}, to change your role.`,
    );
  }
}

export class PortalUserNotFoundError extends DomainError {
  readonly code = 'PORTAL.USER_NOT_FOUND';
  constructor() {
    super('This portal user does not exist (they may have been removed).', 'Go back to the list of portal users.');
  }
}

export class PortalUserAlreadyExistsError extends DomainError {
  readonly code = 'PORTAL.USER_CONFLICT';
  constructor(userPrincipalName: string) {
    super(`${userPrincipalName} is already a portal user of this tenant.`, 'Change their role in the list instead.');
  }
  readonly field = 'userPrincipalName';
}

// A sign-in name outside the customer's own domains: a person of another organization never gets into a
// customer's portal (they would see its licences and could ask to change them).
export class PortalUserOutsideCustomerError extends DomainError {
  readonly code = 'PORTAL.USER_OUTSIDE_CUSTOMER';
  readonly field = 'userPrincipalName';
  constructor(userPrincipalName: string, companyName: string, domains: readonly string[]) {
    super(
      domains.length
        ? `${userPrincipalName} is not an address of ${companyName}: only people whose sign-in name ends in ${domains.map((d) => `@${d}`).join(' or ')} can use ${companyName}’s licence portal.`
        : `Sync 365 does not know ${companyName}’s domain yet, so it cannot check that ${userPrincipalName} works there.`,
      domains.length
        ? `Enter their sign-in name at ${domains.join(' or ')}. People of another organization cannot be given access to ${companyName}’s licences.`
        : 'Refresh the customers (Customers → Refresh now) and add the person again.',
    );
  }
}

export class InvalidPortalUserError extends DomainError {
  readonly code = 'PORTAL.USER_INVALID';
  // The form field at fault, when there is one (the dashboard shows the message beside it).
  constructor(
    message: string,
    fix?: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

// A portal Admin changes the others, never themselves: a tenant cannot lock itself out by accident (its partner can
// always change anyone).
export class PortalSelfChangeForbiddenError extends DomainError {
  readonly code = 'PORTAL.SELF_CHANGE_FORBIDDEN';
  constructor(partnerName: string) {
    super('You cannot change your own role or remove yourself.', `Ask another Admin of your licence portal, or ${partnerName}.`);
  }
}

export class PortalTenantNotFoundError extends DomainError {
  readonly code = 'PORTAL.TENANT_NOT_FOUND';
  constructor() {
    super('This customer tenant is not one of your customers.', 'Choose a tenant from the Customers tab.');
  }
}

export class SubscriptionNotFoundError extends DomainError {
  readonly code = 'PORTAL.SUBSCRIPTION_NOT_FOUND';
  constructor() {
    super(
      'This subscription is not one of your organization’s subscriptions from your partner.',
      'Go back to your licences and choose one of the listed subscriptions.',
    );
  }
}

// A change the rules do not allow; `message` names the rule.
export class ChangeNotAllowedError extends DomainError {
  readonly code = 'PORTAL.CHANGE_NOT_ALLOWED';
}

export class OpenRequestExistsError extends DomainError {
  readonly code = 'PORTAL.OPEN_REQUEST_CONFLICT';
  constructor(partnerName: string) {
    super(
      'A change of this subscription is already waiting for a decision or to be applied.',
      `Wait for ${partnerName} to decide on it; its status is under Requests.`,
    );
  }
}

export class ChangeRequestNotFoundError extends DomainError {
  readonly code = 'PORTAL.REQUEST_NOT_FOUND';
  constructor() {
    super('This licence change request does not exist.', 'Go back to the list of requests.');
  }
}

// Someone decided it first, or it is already being applied.
export class ChangeRequestDecidedError extends DomainError {
  readonly code = 'PORTAL.REQUEST_DECIDED_CONFLICT';
  constructor(status: string) {
    super(
      `This request is no longer waiting for a decision (it is ${status}), so nothing was changed.`,
      'Reload the page to see its current status.',
    );
  }
}

export class RejectionCommentRequiredError extends DomainError {
  readonly code = 'PORTAL.COMMENT_REQUIRED';
  constructor() {
    super('Say why you reject the request: the customer sees your comment.', 'Write a short comment and reject again.');
  }
}

// Calling off a decrease at renewal removes the change scheduled in Partner Center; when that fails the request
// stays scheduled (Partner Center would still make the change).
export class ScheduledChangeNotCancelledError extends DomainError {
  readonly code = 'PORTAL.SCHEDULED_CHANGE_NOT_CANCELLED_CONFLICT';
  constructor(reason: string) {
    super(
      `The reduction scheduled in Partner Center could not be called off: ${reason}`,
      'Try again in a few minutes, or remove the scheduled change in Partner Center and then reject the request.',
    );
  }
}
