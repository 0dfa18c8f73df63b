import { integrationEvent, type IntegrationEvent } from '../../../shared/application/integration-event';
import type { PortalChangePayload } from '../events';
import type { ChangeRequest } from '../domain/change-request';

// A change request as its integration events carry it: primitives only.
export function changeEvent(name: string, request: ChangeRequest, now: Date): IntegrationEvent<PortalChangePayload> {
  return integrationEvent<PortalChangePayload>(
    name,
    request.organizationId,
    {
      requestId: request.id,
      tenantId: request.tenantId,
      tenantName: request.tenantName,
      subscriptionId: request.subscriptionId,
      subscriptionName: request.subscriptionName,
      kind: request.kind,
      fromQuantity: request.fromQuantity,
      toQuantity: request.toQuantity,
      status: request.status,
      requestedBy: { name: request.requestedBy.name, userPrincipalName: request.requestedBy.userPrincipalName },
      requestedAt: request.requestedAt.toISOString(),
      decidedBy: request.decidedBy ? { name: request.decidedBy.name } : null,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      comment: request.decisionComment,
      result: request.result,
      appliedQuantity: request.appliedQuantity,
      effectiveDate: request.effectiveDate?.toISOString() ?? null,
    },
    now,
  );
}

// "Power BI Pro: 10 → 12 seats (add seats)", for audit subjects and details.
export function changeWords(request: ChangeRequest): string {
  return `${request.subscriptionName}: ${request.fromQuantity} → ${request.toQuantity} seats`;
}
