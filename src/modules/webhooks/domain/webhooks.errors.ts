import { DomainError } from '../../../shared/domain/domain-error';

export class InvalidWebhookEndpointError extends DomainError {
  readonly code = 'WEBHOOKS.INVALID_ENDPOINT';
  // The form field at fault, when there is one (the dashboard shows the message beside it).
  constructor(
    message: string,
    fix?: string,
    readonly field?: string,
  ) {
    super(message, fix);
  }
}

export class WebhookEndpointNotFoundError extends DomainError {
  readonly code = 'WEBHOOKS.ENDPOINT_NOT_FOUND';
  constructor() {
    super('This webhook does not exist (any more).', 'It may have been removed. Settings → Webhooks lists the ones in place.');
  }
}

export class WebhookDeliveryNotFoundError extends DomainError {
  readonly code = 'WEBHOOKS.DELIVERY_NOT_FOUND';
  constructor() {
    super('This delivery is not in the webhook’s log.', 'Open the webhook from Settings → Webhooks and pick the delivery from its log.');
  }
}

export class WebhookEndpointLimitExceededError extends DomainError {
  readonly code = 'WEBHOOKS.ENDPOINT_LIMIT_EXCEEDED';
  constructor(limit: number) {
    super(
      `An organization can have at most ${limit} webhooks.`,
      'Remove one you no longer use, or send several event types to the same URL.',
    );
  }
}
