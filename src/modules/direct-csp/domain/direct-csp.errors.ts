import { DomainError } from '../../../shared/domain/domain-error';

export class DirectCspAdminNotFoundError extends DomainError {
  readonly code = 'DIRECT_CSP.DELEGATED_ADMIN_NOT_FOUND';
  constructor() {
    super('This Partner Center connection does not exist (it may have been removed).', 'Go back to the Delegated Admin list.');
  }
}

export class DirectCspTenantNotFoundError extends DomainError {
  readonly code = 'DIRECT_CSP.TENANT_NOT_FOUND';
  constructor() {
    super(
      'This customer tenant is not among the customers of this Partner Center connection.',
      'Choose one of the listed customers. If it is missing, refresh the customer list first.',
    );
  }
}

// The self-service portal is a Direct CSP feature: it needs the tenant's delegated admin confirmed Direct CSP.
export class DirectCspRequiredError extends DomainError {
  readonly code = 'DIRECT_CSP.NOT_CONFIRMED_FORBIDDEN';
  constructor(accountUpn: string) {
    super(
      `The end-user self-service portal is available only to Direct CSP partners, and ${accountUpn} is not confirmed as Direct CSP.`,
      'Open Settings (the cog) next to the delegated admin on the Delegated Admin tab and run the Direct CSP test.',
    );
  }
}
