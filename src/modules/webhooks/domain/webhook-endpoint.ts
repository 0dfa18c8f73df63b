import { randomBytes } from 'node:crypto';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType, type WebhookEventType } from './webhook-events';
import { isRefusedUrlHost } from './network-address';
import { InvalidWebhookEndpointError } from './webhooks.errors';

// A partner's receiver: where this organization's events go, which ones, signed with a secret only Sync 365 and
// the partner know (the secret itself never sits on this object: the repository keeps it encrypted).
export interface WebhookEndpoint {
  id: string;
  organizationId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: Date;
  createdByName: string;
  secretRotatedAt: Date | null;
}

export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;
const MAX_URL_LENGTH = 2000;

// Only https: the body carries the partner's customer data and the signature is no secret from an eavesdropper
// once sent in clear. Credentials in the URL would be stored and shown in clear, so they are refused too. A host
// written as a private or loopback address (or localhost) is refused unless the operator allowed it: see
// network-address.ts (a name resolving to one is refused when sending).
export function endpointUrl(raw: unknown, allowedHosts: readonly string[]): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text)
    throw new InvalidWebhookEndpointError(
      'Enter the URL that should receive the events.',
      'For example https://example.com/sync365/webhook.',
      'url',
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidWebhookEndpointError(
      `“${text.slice(0, 200)}” is not a web address.`,
      'Enter a full URL starting with https://, for example https://example.com/sync365/webhook.',
      'url',
    );
  }
  if (url.protocol !== 'https:') {
    throw new InvalidWebhookEndpointError(
      'Webhook URLs must start with https://. Sync 365 does not send your customers’ data over plain http.',
      'Serve the receiver over https (a certificate from any public authority will do) and enter its https:// address.',
      'url',
    );
  }
  if (url.username || url.password)
    throw new InvalidWebhookEndpointError(
      'Webhook URLs must not contain a user name or password.',
      'Remove them from the URL: every delivery is signed with the webhook’s secret instead.',
      'url',
    );
  assertPublicHost(url, allowedHosts);
  if (text.length > MAX_URL_LENGTH)
    throw new InvalidWebhookEndpointError(`Webhook URLs can be at most ${MAX_URL_LENGTH} characters long.`, undefined, 'url');
  return url.toString();
}

// Also checked before a redelivery or test event, for a webhook added before this rule or since disallowed.
export function assertPublicHost(url: URL | string, allowedHosts: readonly string[]): void {
  const { hostname } = typeof url === 'string' ? new URL(url) : url;
  if (isRefusedUrlHost(hostname, allowedHosts)) {
    throw new InvalidWebhookEndpointError(
      `Sync 365 only sends to public internet addresses, and “${hostname}” is a private, loopback or local address.`,
      'Enter the public https address of your receiver. If it must be on a private network, the Sync 365 administrator can allow its host with the WEBHOOK_ALLOWED_HOSTS setting.',
      'url',
    );
  }
}

export function subscribedEvents(raw: unknown): WebhookEventType[] {
  const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).filter(isWebhookEventType);
  if (values.length === 0) throw new InvalidWebhookEndpointError('Pick at least one event to send to this webhook.', undefined, 'events');
  // In the catalogue's order, each once.
  return WEBHOOK_EVENT_TYPES.map((e) => e.type).filter((type) => values.includes(type));
}

// 32 random bytes (256 bits), as the HMAC key the partner copies once. The prefix tells people what it is.
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
