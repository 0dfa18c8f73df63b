import { createHmac } from 'node:crypto';

// `Sync365-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Signing the timestamp
// with the body lets a receiver refuse an old delivery replayed later; `v1` leaves room for another scheme.
export const SIGNATURE_HEADER = 'Sync365-Signature';
export const EVENT_HEADER = 'Sync365-Event';
export const DELIVERY_HEADER = 'Sync365-Delivery';

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}
