import { DomainError } from '../../../shared/domain/domain-error';

export class ApiKeyNameInvalidError extends DomainError {
  readonly code = 'API_KEYS.NAME_INVALID';
  readonly field = 'name';
  constructor(maxLength: number) {
    super(
      `Give the key a name of 1 to ${maxLength} characters.`,
      'Name it after the system that will use it, for example "Billing export", so you know which key to revoke later.',
    );
  }
}

export class ApiKeyScopeRequiredError extends DomainError {
  readonly code = 'API_KEYS.SCOPE_REQUIRED';
  readonly field = 'scopes';
  constructor() {
    super('Choose at least one permission for the key.', 'Tick what the system using the key needs to read or do, and nothing more.');
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'API_KEYS.NOT_FOUND';
  constructor() {
    super('This API key does not exist in your organization.', 'Go back to Settings → API keys.');
  }
}
