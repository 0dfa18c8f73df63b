import { dayLabel, type ChangeKind } from './change-rules';
import { ChangeRequestDecidedError, RejectionCommentRequiredError } from './portal.errors';

// A customer's request to change a subscription's seats, and what became of it:
//   pending ─approve→ applying ─→ applied | failed      (increase, decrease)
//   pending ─approve→ scheduled ─(renewal day)→ applying ─→ applied | failed      (decrease at renewal)
//   pending | scheduled ─reject→ rejected
// `applying` is committed before Partner Center is called, so a request is never applied twice and never lost:
// when Partner Center's answer leaves the outcome unknown it stays applying until a re-read settles it.
export type ChangeStatus = 'pending' | 'rejected' | 'applying' | 'applied' | 'failed' | 'scheduled';

// At most one of these per subscription at a time (the database enforces it too).
export const OPEN_STATUSES: readonly ChangeStatus[] = ['pending', 'applying', 'scheduled'];

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  increase: 'Add seats',
  decrease: 'Remove seats now',
  decrease_at_renewal: 'Remove seats at renewal',
};

export const CHANGE_STATUS_LABELS: Record<ChangeStatus, string> = {
  pending: 'Waiting for approval',
  rejected: 'Rejected',
  applying: 'Being applied',
  applied: 'Applied',
  failed: 'Failed',
  scheduled: 'Scheduled for renewal',
};

export interface ChangeRequest {
  id: string;
  organizationId: string;
  tenantId: string;
  tenantName: string;
  subscriptionId: string;
  subscriptionName: string;
  kind: ChangeKind;
  fromQuantity: number;
  toQuantity: number;
  status: ChangeStatus;
  requestedBy: { portalUserId: string; name: string; userPrincipalName: string };
  requestedAt: Date;
  decidedBy: { userId: string; name: string } | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  // What happened, in plain words (Partner Center's answer, or why it was not applied).
  result: string | null;
  appliedQuantity: number | null;
  // Decrease at renewal: the day it is applied.
  effectiveDate: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
  // Partner Center answered the change with 202 Accepted at this time (FACTS §7a.5): applying, shown as pending in
  // Partner Center, until the subscription reads back changed. Null otherwise.
  pendingSince: Date | null;
}

// Partner Center took the change for later: neither done nor failed.
export const PENDING_IN_PARTNER_CENTER = 'Pending in Partner Center';

// The status as people read it: an applying request Partner Center accepted for later is "pending" there.
export function statusLabelOf(request: Pick<ChangeRequest, 'status' | 'pendingSince'>): string {
  return request.status === 'applying' && request.pendingSince ? PENDING_IN_PARTNER_CENTER : CHANGE_STATUS_LABELS[request.status];
}

export type Decider = { userId: string; name: string };

export function approve(request: ChangeRequest, decider: Decider, comment: string | null, now: Date): ChangeRequest {
  if (request.status !== 'pending') throw new ChangeRequestDecidedError(CHANGE_STATUS_LABELS[request.status].toLowerCase());
  const scheduled = request.kind === 'decrease_at_renewal';
  return {
    ...request,
    status: scheduled ? 'scheduled' : 'applying',
    decidedBy: decider,
    decidedAt: now,
    decisionComment: cleanComment(comment),
    result:
      scheduled && request.effectiveDate
        ? `Approved: the seats are removed on ${dayLabel(request.effectiveDate)}, when the subscription renews.`
        : null,
    updatedAt: now,
  };
}

// The partner says no (or calls off a scheduled decrease); the customer reads the comment.
export function reject(request: ChangeRequest, decider: Decider, comment: string | null, now: Date): ChangeRequest {
  if (request.status !== 'pending' && request.status !== 'scheduled')
    throw new ChangeRequestDecidedError(CHANGE_STATUS_LABELS[request.status].toLowerCase());
  const text = cleanComment(comment);
  if (!text) throw new RejectionCommentRequiredError();
  return {
    ...request,
    status: 'rejected',
    decidedBy: decider,
    decidedAt: now,
    decisionComment: text,
    result: request.status === 'scheduled' ? 'The scheduled reduction was called off.' : null,
    completedAt: now,
    updatedAt: now,
  };
}

// A scheduled decrease whose renewal day has come.
export function isDue(request: ChangeRequest, now: Date): boolean {
  return request.status === 'scheduled' && request.effectiveDate !== null && request.effectiveDate.getTime() <= now.getTime();
}

export function startScheduled(request: ChangeRequest, now: Date): ChangeRequest {
  if (!isDue(request, now)) throw new ChangeRequestDecidedError(CHANGE_STATUS_LABELS[request.status].toLowerCase());
  return { ...request, status: 'applying', updatedAt: now };
}

export type ApplyResult =
  | { outcome: 'applied'; quantity: number; detail: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'unknown'; reason: string }
  | { outcome: 'pending'; reason: string };

// Partner Center's answer recorded. Unknown keeps the request applying (a later re-read settles it).
export function finish(request: ChangeRequest, result: ApplyResult, now: Date): ChangeRequest {
  if (request.status !== 'applying') throw new ChangeRequestDecidedError(CHANGE_STATUS_LABELS[request.status].toLowerCase());
  switch (result.outcome) {
    case 'applied':
      return { ...request, status: 'applied', appliedQuantity: result.quantity, result: result.detail, completedAt: now, updatedAt: now };
    case 'failed':
      return { ...request, status: 'failed', result: result.reason, completedAt: now, updatedAt: now };
    case 'unknown':
      return { ...request, result: `${result.reason} Sync 365 checks Partner Center again shortly.`, updatedAt: now };
    case 'pending':
      return { ...request, pendingSince: request.pendingSince ?? now, result: result.reason, updatedAt: now };
  }
}

// A decrease at renewal written into Partner Center as a scheduled change (or not): the request stays scheduled
// with what Partner Center said, on the renewal day Partner Center gives; a refusal fails it.
export function recordSchedule(
  request: ChangeRequest,
  result: { outcome: 'scheduled'; renewsOn: Date | null; detail: string } | { outcome: 'failed' | 'unknown'; reason: string },
  now: Date,
): ChangeRequest {
  if (request.status !== 'scheduled') throw new ChangeRequestDecidedError(CHANGE_STATUS_LABELS[request.status].toLowerCase());
  switch (result.outcome) {
    case 'scheduled':
      return {
        ...request,
        effectiveDate: result.renewsOn ?? request.effectiveDate,
        result: `Scheduled in Partner Center: ${result.detail}`,
        updatedAt: now,
      };
    case 'failed':
      return { ...request, status: 'failed', result: result.reason, completedAt: now, updatedAt: now };
    case 'unknown':
      return { ...request, result: `${result.reason} Sync 365 checks Partner Center again on the renewal day.`, updatedAt: now };
  }
}

export function isOpen(request: Pick<ChangeRequest, 'status'>): boolean {
  return OPEN_STATUSES.includes(request.status);
}

function cleanComment(comment: string | null): string | null {
  const text = comment?.trim().slice(0, 1000);
  return text ? text : null;
}
