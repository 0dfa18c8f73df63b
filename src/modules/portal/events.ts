// Integration events of the licence portal (durable, through the outbox), delivered to the partner's webhooks.

// A customer's person asked for a licence change.
export const PORTAL_CHANGE_REQUESTED = 'portal.change-requested';
// The partner decided on it: rejected, or approved with what Partner Center did (applied / failed), or scheduled
// for renewal, or still being applied when Partner Center's answer left the outcome open.
export const PORTAL_CHANGE_DECIDED = 'portal.change-decided';
// A change that was not finished at the decision (scheduled for renewal, or an open outcome) is now applied or failed.
export const PORTAL_CHANGE_COMPLETED = 'portal.change-completed';

export const PORTAL_EVENT_NAMES = [PORTAL_CHANGE_REQUESTED, PORTAL_CHANGE_DECIDED, PORTAL_CHANGE_COMPLETED] as const;

export interface PortalChangePayload {
  requestId: string;
  tenantId: string;
  tenantName: string;
  subscriptionId: string;
  subscriptionName: string;
  kind: 'increase' | 'decrease' | 'decrease_at_renewal';
  fromQuantity: number;
  toQuantity: number;
  status: 'pending' | 'rejected' | 'applying' | 'applied' | 'failed' | 'scheduled';
  requestedBy: { name: string; userPrincipalName: string };
  requestedAt: string;
  decidedBy: { name: string } | null;
  decidedAt: string | null;
  comment: string | null;
  // What happened, in plain words.
  result: string | null;
  appliedQuantity: number | null;
  // Decrease at renewal: the day it is applied (ISO-8601).
  effectiveDate: string | null;
}
