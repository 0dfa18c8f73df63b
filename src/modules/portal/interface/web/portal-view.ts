import type { Request, Response } from 'express';
import { CHANGE_KIND_LABELS, isOpen, statusLabelOf, type ChangeRequest } from '../../domain/change-request';
import { dayLabel } from '../../domain/change-rules';
import { nameOf, PORTAL_ROLE_LABELS, PORTAL_ROLES, type PortalUser } from '../../domain/portal-user';
import type { PortalSubscription } from '../../application/tenant-picture';
import type { PortalViewer } from '../../application/portal-viewer';
import { portalLocals } from './portal-session';

// View models of the portal's pages (the customer's and the partner's): plain objects, never domain objects.

const STATUS_TONES: Record<ChangeRequest['status'], string> = {
  pending: 'warn',
  rejected: 'bad',
  applying: 'neutral',
  applied: 'ok',
  failed: 'bad',
  scheduled: 'neutral',
};

// The customer's pages are drawn by hand, not through @Render: the dashboard's layout interceptor would take the
// flash messages first.
export function renderPortal(
  request: Request,
  response: Response,
  viewer: PortalViewer | null,
  view: string,
  model: Record<string, unknown>,
  status = 200,
): void {
  response.status(status).render(view, { ...portalLocals(request, viewer), ...model });
}

export function requestView(request: ChangeRequest) {
  return {
    id: request.id,
    tenantId: request.tenantId,
    tenantName: request.tenantName,
    subscriptionId: request.subscriptionId,
    subscriptionName: request.subscriptionName,
    kind: request.kind,
    kindLabel: CHANGE_KIND_LABELS[request.kind],
    fromQuantity: request.fromQuantity,
    toQuantity: request.toQuantity,
    status: request.status,
    statusLabel: statusLabelOf(request),
    statusTone: STATUS_TONES[request.status],
    open: isOpen(request),
    decidable: request.status === 'pending',
    cancellable: request.status === 'scheduled',
    requestedBy: request.requestedBy.name,
    requestedByUpn: request.requestedBy.userPrincipalName,
    requestedAt: request.requestedAt,
    decidedBy: request.decidedBy?.name ?? null,
    decidedAt: request.decidedAt,
    comment: request.decisionComment,
    result: request.result,
    appliedQuantity: request.appliedQuantity,
    effectiveDay: request.effectiveDate ? dayLabel(request.effectiveDate) : null,
  };
}

// The confirmation before an approval: what exactly is bought or changed, in Partner Center, for which customer.
export function approvalView(request: ChangeRequest, subscription: PortalSubscription | null) {
  const difference = Math.abs(request.toQuantity - request.fromQuantity);
  const seats = `${difference} seat${difference === 1 ? '' : 's'}`;
  const effectiveDay = request.effectiveDate ? dayLabel(request.effectiveDate) : null;
  const consequence =
    request.kind === 'increase'
      ? `Approving buys ${seats} more at once: Sync 365 asks Partner Center to raise the subscription from ${request.fromQuantity} to ${request.toQuantity} seats, and Microsoft bills the new seats to you from today for the rest of the subscription’s term.`
      : request.kind === 'decrease_at_renewal'
        ? `Approving schedules ${seats} fewer: Sync 365 writes a change scheduled for renewal into Partner Center now, and the subscription goes from ${request.fromQuantity} to ${request.toQuantity} seats${effectiveDay ? ` on ${effectiveDay}` : ''}, when it renews. Nothing changes before then, and you can call it off until that day.`
        : `Approving removes ${seats}: Sync 365 asks Partner Center to lower the subscription from ${request.fromQuantity} to ${request.toQuantity} seats. Partner Center refuses it if the subscription’s rules no longer allow a decrease, and you are told.`;
  return {
    request: requestView(request),
    confirmLabel:
      request.kind === 'increase'
        ? `Approve and buy ${seats}`
        : request.kind === 'decrease_at_renewal'
          ? `Approve: ${seats} fewer at renewal`
          : `Approve and remove ${seats}`,
    consequence,
    change: `${request.fromQuantity} → ${request.toQuantity} seats (${request.toQuantity > request.fromQuantity ? '+' : '−'}${difference})`,
    subscription: subscription
      ? {
          quantityNow: subscription.facts.quantity,
          // Read since the request was made: the partner sees the request was based on another number.
          changedSinceRequest: subscription.facts.quantity !== request.fromQuantity,
          term: subscription.term ?? 'unknown term',
          billingCycle: subscription.billingCycle,
          renewalDay: subscription.facts.commitmentEnd ? dayLabel(subscription.facts.commitmentEnd) : null,
          autoRenew: subscription.facts.autoRenew,
        }
      : null,
  };
}

export function subscriptionView(subscription: PortalSubscription, open: ChangeRequest | null, mayRequest: boolean) {
  const { facts, rules } = subscription;
  return {
    id: facts.id,
    name: facts.name,
    quantity: facts.quantity,
    term: subscription.term ?? 'unknown term',
    billingCycle: subscription.billingCycle,
    status: subscription.status,
    active: facts.state === 'active',
    isTrial: subscription.isTrial,
    autoRenew: facts.autoRenew,
    renewalDay: facts.commitmentEnd ? dayLabel(facts.commitmentEnd) : null,
    rules: rules.sentences,
    open: open ? requestView(open) : null,
    canRequest: mayRequest && !open && (rules.increase.allowed || rules.decreaseNow.allowed || rules.decreaseAtRenewal.allowed),
  };
}

export function userView(user: PortalUser, self: string | null) {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    name: nameOf(user),
    role: user.role,
    roleLabel: PORTAL_ROLE_LABELS[user.role],
    roles: PORTAL_ROLES.map((role) => ({ value: role, label: PORTAL_ROLE_LABELS[role], selected: role === user.role })),
    signedInAt: user.lastSignInAt,
    neverSignedIn: user.lastSignInAt === null,
    addedBy: user.addedBy.name,
    addedByPortal: user.addedBy.kind === 'portal',
    addedAt: user.addedAt,
    self: user.id === self,
  };
}

export const ROLE_CHOICES = PORTAL_ROLES.map((role) => ({ value: role, label: PORTAL_ROLE_LABELS[role] }));
