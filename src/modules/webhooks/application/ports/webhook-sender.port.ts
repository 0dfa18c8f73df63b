import type { AttemptOutcome } from '../../domain/webhook-delivery';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

// Sends one delivery attempt to the partner's own endpoint. Never throws for what the endpoint does (an error
// status, a timeout, a refused connection): that is the attempt's outcome.
export abstract class WebhookSender {
  abstract send(request: WebhookRequest): Promise<AttemptOutcome>;
}
