import { randomUUID } from 'node:crypto';
import { ChangeApplier } from '../../../src/modules/portal/application/change-applier';
import { DecideChangeUseCase } from '../../../src/modules/portal/application/decide-change.use-case';
import { PortalTenants } from '../../../src/modules/portal/application/portal-tenants';
import { SettleChangesUseCase } from '../../../src/modules/portal/application/settle-changes.use-case';
import { TenantPictureReader } from '../../../src/modules/portal/application/tenant-picture';
import type { ChangeRequest } from '../../../src/modules/portal/domain/change-request';
import type { ChangeKind } from '../../../src/modules/portal/domain/change-rules';
import {
  FakeCustomerTenants,
  FakeDelegatedAdmins,
  FakeLicensing,
  FakeSelfServicePortals,
  InMemoryChangeRequests,
  RecordingAudit,
  RecordingEvents,
} from '../../../src/modules/portal/infrastructure/testing/in-memory-portal';
import type { Actor } from '../../../src/shared/application/actor';
import { FixedClock, ImmediateTransaction } from '../../../src/shared/testing/fakes';
import { ADMIN, customerId, ORG, type CommerceKit, type WireSubscription } from './commerce-kit';

export const STAFF: Actor = {
  userId: 'staff-1',
  organizationId: ORG,
  displayName: 'Contoso Admin',
  userPrincipalName: 'admin@contoso-partners.example',
  organizationName: 'Contoso Partners',
  role: 'billing',
};

// The licence portal's use cases (in-memory storage, no database) over the real SubscriptionChanges adapter and the
// emulator: what Sync 365 does with a customer's request against Partner Center's rules.
export function portalOverEmulator(kit: CommerceKit, customerKey: string, now = new Date()) {
  const clock = new FixedClock(now);
  const transaction = new ImmediateTransaction();
  const requests = new InMemoryChangeRequests();
  const portals = new FakeSelfServicePortals();
  const customerTenants = new FakeCustomerTenants();
  const admins = new FakeDelegatedAdmins();
  const licensing = new FakeLicensing();
  const audit = new RecordingAudit();
  const events = new RecordingEvents();
  const tenantId = customerId(customerKey);
  customerTenants.tenants.push({
    organizationId: ORG,
    tenantId,
    companyName: customerKey,
    domain: `${customerKey}.example`,
    delegatedAdminId: ADMIN,
    status: 'active',
  });
  admins.admins.push({
    organizationId: ORG,
    id: ADMIN,
    accountUpn: 's365@contoso-partners.example',
    partnerDirectoryName: 'Contoso Partners',
    status: 'active',
    partnerType: 'direct',
    partnerTypeDetail: null,
    partnerTypeDetectedAt: null,
    directCsp: null,
  });
  portals.enabled.add(`${ORG}|${tenantId}`);
  const tenants = new PortalTenants(customerTenants, admins);
  const applier = new ChangeApplier(
    tenants,
    portals,
    new TenantPictureReader(licensing, requests),
    kit.adapter,
    requests,
    audit,
    events,
    transaction,
    clock,
  );

  return {
    clock,
    requests,
    audit,
    decide: new DecideChangeUseCase(requests, applier, audit, events, transaction, clock),
    settle: new SettleChangesUseCase(requests, applier, kit.adapter, tenants, transaction, clock),
    // Licensing's last read of the subscription (the portal's rules judge from it): `assigned` licences in use.
    knows(subscription: WireSubscription, skuId: string, assigned: number): void {
      const readAt = clock.now().toISOString();
      licensing.licences.push({
        tenantId,
        skuId,
        skuPartNumber: 'SKU',
        productName: subscription.offerName,
        capabilityStatus: 'Enabled',
        purchased: subscription.quantity,
        assigned,
        available: subscription.quantity - assigned,
        suspended: 0,
        warning: 0,
        readAt,
      });
      licensing.subscriptions.push({
        tenantId,
        id: subscription.id,
        offerName: subscription.offerName,
        friendlyName: null,
        quantity: subscription.quantity,
        termDuration: subscription.termDuration,
        billingCycle: subscription.billingCycle,
        status: subscription.status,
        autoRenewEnabled: subscription.autoRenewEnabled,
        isTrial: false,
        commitmentEndDate: subscription.commitmentEndDate,
        cancellationAllowedUntilDate: subscription.cancellationAllowedUntilDate,
        readAt,
        skuId,
        tenantUnits: subscription.quantity,
      });
    },
    // A customer's request waiting for the partner (as RequestChangeUseCase records it).
    async requested(
      subscription: WireSubscription,
      kind: ChangeKind,
      toQuantity: number,
      effectiveDate: Date | null = null,
    ): Promise<ChangeRequest> {
      const at = clock.now();
      const request: ChangeRequest = {
        id: randomUUID(),
        organizationId: ORG,
        tenantId,
        tenantName: customerKey,
        subscriptionId: subscription.id,
        subscriptionName: subscription.offerName,
        kind,
        fromQuantity: subscription.quantity,
        toQuantity,
        status: 'pending',
        requestedBy: { portalUserId: 'portal-user-1', name: 'Amelia Ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
        requestedAt: at,
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
        result: null,
        appliedQuantity: null,
        effectiveDate,
        completedAt: null,
        updatedAt: at,
        pendingSince: null,
      };
      await requests.add(request);
      return request;
    },
  };
}
