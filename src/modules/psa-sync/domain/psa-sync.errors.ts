import { DomainError } from '../../../shared/domain/domain-error';

// A value a person gave that cannot be used; `field` names it (the form shows the reason beside it).
export class InvalidPsaInputError extends DomainError {
  readonly code = 'PSA.INVALID_INPUT';
  constructor(
    message: string,
    fix: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

export class PsaNotConnectedError extends DomainError {
  readonly code = 'PSA.NOT_CONNECTED_CONFLICT';
  constructor() {
    super('No PSA is connected yet.', 'Connect ConnectWise PSA or Autotask in Settings → Billing → PSA first.');
  }
}

// The PSA refused or could not be reached; message and fix in words a partner admin can act on (the PSA's own
// message is part of `message` when it gave one).
export class PsaRefusedError extends DomainError {
  readonly code = 'PSA.REFUSED';
  constructor(
    message: string,
    fix: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

// The PSA is limiting calls, down, or unreachable: nothing refused the data, so the run is tried again as a whole
// (same run id: what landed is found by read-before-write).
export class RetryablePsaError extends PsaRefusedError {}

export class PsaTenantNotFoundError extends DomainError {
  readonly code = 'PSA.TENANT_NOT_FOUND';
  constructor() {
    super('This customer tenant is not one of your billing customers.', 'Settings → Billing → PSA lists the customers to map.');
  }
}

export class PsaSyncRunNotFoundError extends DomainError {
  readonly code = 'PSA.SYNC_RUN_NOT_FOUND';
  constructor() {
    super('This PSA sync run does not exist.', 'Billing → PSA sync lists the runs.');
  }
}
