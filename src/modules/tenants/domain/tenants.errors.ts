import { DomainError } from '../../../shared/domain/domain-error';

export class CustomerTenantNotFoundError extends DomainError {
  readonly code = 'TENANTS.CUSTOMER_NOT_FOUND';
  constructor() {
    super('This customer tenant is not among your customers.', 'Go back to the Customers list.');
  }
}

export class ImportRunNotFoundError extends DomainError {
  readonly code = 'TENANTS.IMPORT_RUN_NOT_FOUND';
  constructor() {
    super('There is no such import.', 'List the imports with GET /api/v1/import-runs.');
  }
}
