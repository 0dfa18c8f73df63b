import { DomainError } from '../../../shared/domain/domain-error';

// A value a person or a partner system gave that billing cannot use; `field` names it (forms show the reason beside
// it; the API answers 422 naming the field).
export class InvalidBillingInputError extends DomainError {
  readonly code = 'BILLING.INVALID_INPUT';
  constructor(
    message: string,
    fix: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

export class BillingProfileNotFoundError extends DomainError {
  readonly code = 'BILLING.PROFILE_NOT_FOUND';
  constructor() {
    super('This billing profile does not exist (any more).', 'Settings → Billing lists the profiles in place.');
  }
}

export class BillingProfileExistsError extends DomainError {
  readonly code = 'BILLING.PROFILE_ALREADY_EXISTS';
  constructor(scope: string) {
    super(
      `There already is a billing profile for ${scope}.`,
      'Edit that profile instead, or give this one a term and billing cycle of its own.',
    );
  }
}

export class CustomerTenantNotFoundError extends DomainError {
  readonly code = 'BILLING.TENANT_NOT_FOUND';
  constructor() {
    super('That customer tenant is not one of your customers.', 'Pick the customer from the list (Customers shows every imported tenant).');
  }
}

export class ApprovalNotFoundError extends DomainError {
  readonly code = 'BILLING.APPROVAL_NOT_FOUND';
  constructor() {
    super('This approval does not exist, or it was decided already.', 'The approval queue lists the changes still waiting.');
  }
}

export class SnapshotNotFoundError extends DomainError {
  readonly code = 'BILLING.SNAPSHOT_NOT_FOUND';
  constructor(period: string) {
    super(`There is no billing snapshot for ${period}.`, 'Billing → Snapshots lists the frozen months; freeze the month first.');
  }
}
