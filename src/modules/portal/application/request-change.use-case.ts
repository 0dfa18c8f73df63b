import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { isUniqueViolation } from '../../../shared/application/unique-violation';
import { AuditTrail } from '../../audit';
import { PORTAL_CHANGE_REQUESTED } from '../events';
import { CHANGE_KIND_LABELS, type ChangeRequest } from '../domain/change-request';
import { CHANGE_KINDS, checkChange, type ChangeKind } from '../domain/change-rules';
import {
  ChangeNotAllowedError,
  OpenRequestExistsError,
  PortalRoleForbiddenError,
  SubscriptionNotFoundError,
} from '../domain/portal.errors';
import { mayRequestChanges } from '../domain/portal-user';
import { changeEvent, changeWords } from './change-events';
import { ChangeRequestRepository } from './ports/change-request.repository';
import { auditNameOf, type PortalViewer } from './portal-viewer';
import { TenantPictureReader } from './tenant-picture';

export interface ChangeRequestInput {
  subscriptionId: string;
  kind: unknown;
  toQuantity: unknown;
}

// A Modify or Admin portal user asks for a seat change; the rules shown on the form are enforced here again.
// The request waits for the partner's decision; the partner learns of it through the audit log, the dashboard and
// the portal.change-requested event.
@Injectable()
export class RequestChangeUseCase {
  constructor(
    private readonly pictures: TenantPictureReader,
    private readonly requests: ChangeRequestRepository,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(viewer: PortalViewer, input: ChangeRequestInput): Promise<ChangeRequest> {
    if (!mayRequestChanges(viewer.role)) throw new PortalRoleForbiddenError('request licence changes', viewer.partnerName);
    const now = this.clock.now();
    const picture = await this.pictures.read(viewer.organizationId, viewer.tenantId, now);
    const subscription = picture.subscriptions.find((s) => s.facts.id.toLowerCase() === input.subscriptionId.toLowerCase());
    if (!subscription) throw new SubscriptionNotFoundError();
    if (!CHANGE_KINDS.includes(input.kind as ChangeKind))
      throw new ChangeNotAllowedError('Choose whether to add seats, remove them now or remove them at renewal.');
    const change = checkChange(subscription.facts, subscription.rules, input.kind as ChangeKind, input.toQuantity);

    const request: ChangeRequest = {
      id: randomUUID(),
      organizationId: viewer.organizationId,
      tenantId: viewer.tenantId,
      tenantName: viewer.companyName,
      subscriptionId: subscription.facts.id,
      subscriptionName: subscription.facts.name,
      kind: change.kind,
      fromQuantity: subscription.facts.quantity,
      toQuantity: change.toQuantity,
      status: 'pending',
      requestedBy: { portalUserId: viewer.portalUserId, name: viewer.displayName, userPrincipalName: viewer.userPrincipalName },
      requestedAt: now,
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      result: null,
      appliedQuantity: null,
      effectiveDate: change.effectiveDate,
      completedAt: null,
      pendingSince: null,
      updatedAt: now,
    };
    try {
      await this.transaction.run(async () => {
        await this.requests.add(request);
        this.audit.record({
          organizationId: viewer.organizationId,
          actorUserId: null,
          actorName: auditNameOf(viewer),
          action: 'portal.change-requested',
          subject: `${viewer.companyName}: ${changeWords(request)}`,
          outcome: 'success',
          detail: `${CHANGE_KIND_LABELS[request.kind]}, waiting for approval.`,
        });
        this.outbox.publish(changeEvent(PORTAL_CHANGE_REQUESTED, request, now));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new OpenRequestExistsError(viewer.partnerName);
      throw error;
    }
    return request;
  }
}
