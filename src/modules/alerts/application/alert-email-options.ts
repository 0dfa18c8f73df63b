import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertRuleId } from '../domain/alert-rules';
import { isAlertRuleId } from '../domain/alert-rules';

// Where mail links point and the key that signs unsubscribe links (bound from the configuration).
export class AlertEmailOptions {
  appBaseUrl = 'http://localhost:3000';
  signingKey: Buffer = Buffer.alloc(32);
  // Who the mail is from.
  from = 'Sync 365 <alerts@sync365.invalid>';
}

export interface UnsubscribeRequest {
  organizationId: string;
  staffUserId: string;
  rule: AlertRuleId;
}

// A link that unsubscribes one person from one rule's mail without signing in: the request signed with HMAC-SHA256,
// so nobody can forge one for someone else.
export function unsubscribeToken(options: AlertEmailOptions, request: UnsubscribeRequest): string {
  const body = Buffer.from(JSON.stringify([request.organizationId, request.staffUserId, request.rule])).toString('base64url');
  return `${body}.${sign(options, body)}`;
}

export function readUnsubscribeToken(options: AlertEmailOptions, token: string): UnsubscribeRequest | null {
  const [body, signature] = token.split('.');
  if (!body || !signature) return null;
  const expected = Buffer.from(sign(options, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [organizationId, staffUserId, rule] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (typeof organizationId !== 'string' || typeof staffUserId !== 'string' || !isAlertRuleId(rule)) return null;
    return { organizationId, staffUserId, rule };
  } catch {
    return null;
  }
}

function sign(options: AlertEmailOptions, body: string): string {
  return createHmac('sha256', options.signingKey).update(`alert-unsubscribe:${body}`).digest('base64url');
}
