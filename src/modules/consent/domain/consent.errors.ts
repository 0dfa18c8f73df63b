import { DomainError } from '../../../shared/domain/domain-error';

// Why a grant was refused. Nothing is stored in any of these cases.
export class ConsentRefusedError extends DomainError {
  constructor(
    readonly code:
      | 'CONSENT.CANCELLED'
      | 'CONSENT.ADMIN_APPROVAL_REQUIRED'
      | 'CONSENT.MFA_MISSING'
      | 'CONSENT.ADMIN_AGENT_MISSING'
      | 'CONSENT.INDIRECT_RESELLER'
      | 'CONSENT.FAILED',
    message: string,
    fix: string,
  ) {
    super(message, fix);
  }
}

export class DelegatedAdminNotFoundError extends DomainError {
  readonly code = 'CONSENT.DELEGATED_ADMIN_NOT_FOUND';
  constructor() {
    super('This Partner Center connection does not exist (it may have been removed).', 'Go back to the Delegated Admin list.');
  }
}

// A Microsoft token could not be obtained because the stored consent no longer works.
export class ReconsentRequiredError extends DomainError {
  readonly code = 'CONSENT.RECONSENT_REQUIRED';
}

// Why Microsoft refused one customer's directory (FACTS.md §3.1, §7a.2, §7a.7).
export type CustomerRefusalKind = 'no_gdap' | 'app_not_provisioned' | 'conditional_access';

// Microsoft would not issue a token for one customer tenant: no active GDAP relationship with it, the Sync 365 app
// not provisioned there, or the customer's Conditional Access refusing service-provider users. `kind` says which;
// the message and fix name that customer, never the delegated admin's consent.
export class CustomerTokenRefusedError extends DomainError {
  readonly code = 'CONSENT.CUSTOMER_TOKEN_REFUSED';
  constructor(
    readonly aadstsCodes: number[],
    // In words from the one table of Microsoft's refusals (consent-failure-reasons.ts, customerRefusal).
    refusal: { kind: CustomerRefusalKind; reason: string; fix: string },
    readonly kind: CustomerRefusalKind = refusal.kind,
  ) {
    super(refusal.reason, refusal.fix);
  }
}
