import { DomainError } from '../../../shared/domain/domain-error';

// Partner Center refused to list the partner's customers at all (the account lost Admin Agent, or its sign-in
// no longer satisfies MFA): no tenant can be imported until the partner acts, so this is not a per-customer
// CustomerReadRefusedError.
export class CustomerListRefusedError extends DomainError {
  readonly code = 'PARTNER_CENTER.CUSTOMER_LIST_REFUSED';
}
