import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { EventOutbox } from '../../../../shared/application/integration-event';
import { AuditTrail, type AuditEntryInput } from '../../../audit';
import { DelegatedAdminQueries, type DelegatedAdminSummary } from '../../../consent';
import { SelfServicePortals } from '../../../direct-csp';
import { LicensingQueries, type LicenceView, type SubscriptionMatchesView, type SubscriptionView } from '../../../licensing';
import {
  SubscriptionChanges,
  type QuantityChange,
  type QuantityChangeOutcome,
  type ScheduleOutcome,
  type SubscriptionCommerceState,
} from '../../../partner-center';
import { CustomerTenants, type CustomerTenantSummary } from '../../../tenants';
import { ChangeRequestRepository } from '../../application/ports/change-request.repository';
import { PortalUserRepository } from '../../application/ports/portal-user.repository';
import { CustomerDomains } from '../../application/ports/customer-domains.port';
import { SignedInDirectory } from '../../application/ports/signed-in-directory.port';
import { isOpen, type ChangeRequest, type ChangeStatus } from '../../domain/change-request';
import { sameUserPrincipalName, type PortalRole, type PortalUser } from '../../domain/portal-user';

// In-memory stand-ins for the portal's ports and the other modules' facades, for use-case tests.

class UniqueViolation extends Error {
  readonly code = '23505';
}

export class InMemoryPortalUsers extends PortalUserRepository {
  readonly users = new Map<string, PortalUser>();

  async find(organizationId: string, id: string) {
    const user = this.users.get(id);
    return user && user.organizationId === organizationId ? { ...user } : null;
  }
  async ofTenant(organizationId: string, tenantId: string) {
    return [...this.users.values()].filter((u) => u.organizationId === organizationId && u.tenantId === tenantId).map((u) => ({ ...u }));
  }
  async ofTenantInOrganizations(organizationIds: string[], tenantId: string) {
    return [...this.users.values()]
      .filter((u) => organizationIds.includes(u.organizationId) && u.tenantId === tenantId)
      .map((u) => ({ ...u }));
  }
  async add(user: PortalUser) {
    if (
      [...this.users.values()].some(
        (u) =>
          u.organizationId === user.organizationId &&
          u.tenantId === user.tenantId &&
          sameUserPrincipalName(u.userPrincipalName, user.userPrincipalName),
      )
    )
      throw new UniqueViolation();
    this.users.set(user.id, { ...user });
  }
  async changeRole(organizationId: string, id: string, role: PortalRole) {
    const user = this.users.get(id);
    if (!user || user.organizationId !== organizationId) return false;
    this.users.set(id, { ...user, role });
    return true;
  }
  async recordSignIn(organizationId: string, id: string, objectId: string, displayName: string, at: Date) {
    const user = this.users.get(id);
    if (!user || user.organizationId !== organizationId || (user.objectId !== null && user.objectId !== objectId)) return false;
    this.users.set(id, { ...user, objectId: user.objectId ?? objectId, displayName, lastSignInAt: at });
    return true;
  }
  async remove(organizationId: string, id: string) {
    if (this.users.get(id)?.organizationId === organizationId) this.users.delete(id);
  }
}

export class InMemoryChangeRequests extends ChangeRequestRepository {
  readonly requests = new Map<string, ChangeRequest>();

  async add(request: ChangeRequest) {
    const open = [...this.requests.values()].some(
      (r) =>
        r.organizationId === request.organizationId &&
        r.tenantId === request.tenantId &&
        r.subscriptionId.toLowerCase() === request.subscriptionId.toLowerCase() &&
        isOpen(r),
    );
    if (open && isOpen(request)) throw new UniqueViolation();
    this.requests.set(request.id, { ...request });
  }
  async find(organizationId: string, id: string) {
    const request = this.requests.get(id);
    return request && request.organizationId === organizationId ? { ...request } : null;
  }
  async update(request: ChangeRequest, expectedStatus: ChangeStatus) {
    const stored = this.requests.get(request.id);
    if (!stored || stored.organizationId !== request.organizationId || stored.status !== expectedStatus) return false;
    this.requests.set(request.id, { ...request });
    return true;
  }
  async ofTenant(organizationId: string, tenantId: string, limit: number) {
    return this.all((r) => r.organizationId === organizationId && r.tenantId === tenantId)
      .sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime())
      .slice(0, limit);
  }
  async open(organizationId: string) {
    return this.all((r) => r.organizationId === organizationId && isOpen(r)).sort(
      (a, b) => a.requestedAt.getTime() - b.requestedAt.getTime(),
    );
  }
  async activitySince(organizationId: string, since: Date) {
    const after = (d: Date | null) => d !== null && d.getTime() >= since.getTime();
    return this.all(
      (r) =>
        r.organizationId === organizationId &&
        (r.status === 'pending' || after(r.requestedAt) || after(r.decidedAt) || after(r.completedAt)),
    );
  }
  async due(now: Date, staleBefore: Date, limit: number) {
    return this.all(
      (r) =>
        (r.status === 'scheduled' && r.effectiveDate !== null && r.effectiveDate <= now) ||
        (r.status === 'applying' && (r.updatedAt < staleBefore || r.pendingSince !== null)),
    ).slice(0, limit);
  }
  private all(where: (r: ChangeRequest) => boolean): ChangeRequest[] {
    return [...this.requests.values()].filter(where).map((r) => ({ ...r }));
  }
}

export class FakeSignedInDirectory extends SignedInDirectory {
  partnerTokens = new Set<string>();
  // Graph's userPrincipalName of /me, by access token.
  readonly signInNames = new Map<string, string>();
  readFails = false;
  async isPartnerDirectory(accessToken: string) {
    return this.partnerTokens.has(accessToken);
  }
  async signInName(accessToken: string) {
    if (this.readFails) throw new Error('Graph did not answer');
    return this.signInNames.get(accessToken) ?? null;
  }
}

// The domains each customer verified in its directory, by tenant id; a tenant listed in `unreadable` cannot be read.
export class FakeCustomerDomains extends CustomerDomains {
  readonly verifiedByTenant = new Map<string, string[]>();
  readonly unreadable = new Set<string>();
  reads = 0;
  async verified(_organizationId: string, _delegatedAdminId: string, customerTenantId: string) {
    this.reads += 1;
    if (this.unreadable.has(customerTenantId)) throw new Error('Graph did not answer');
    return this.verifiedByTenant.get(customerTenantId) ?? [];
  }
}

export class FakeSelfServicePortals extends SelfServicePortals {
  // "organizationId|tenantId"
  readonly enabled = new Set<string>();
  async organizationsWithPortal(tenantId: string) {
    return [...this.enabled].filter((key) => key.endsWith(`|${tenantId}`)).map((key) => key.split('|')[0]);
  }
  async isEnabled(organizationId: string, tenantId: string) {
    return this.enabled.has(`${organizationId}|${tenantId}`);
  }
}

export class FakeCustomerTenants extends CustomerTenants {
  readonly tenants: (CustomerTenantSummary & { organizationId: string })[] = [];
  async find(organizationId: string, tenantId: string) {
    return this.tenants.find((t) => t.organizationId === organizationId && t.tenantId === tenantId) ?? null;
  }
  async ofDelegatedAdmin(organizationId: string, delegatedAdminId: string) {
    return this.tenants.filter((t) => t.organizationId === organizationId && t.delegatedAdminId === delegatedAdminId);
  }
  async active(organizationId: string) {
    return this.tenants.filter((t) => t.organizationId === organizationId && t.status === 'active');
  }
}

export class FakeDelegatedAdmins extends DelegatedAdminQueries {
  readonly admins: (DelegatedAdminSummary & { organizationId: string })[] = [];
  async list(organizationId: string) {
    return this.admins.filter((a) => a.organizationId === organizationId);
  }
  async find(organizationId: string, id: string) {
    return this.admins.find((a) => a.organizationId === organizationId && a.id === id) ?? null;
  }
}

export class FakeLicensing extends LicensingQueries {
  licences: LicenceView[] = [];
  subscriptions: SubscriptionView[] = [];
  async licencesOfTenant(_organizationId: string, tenantId: string) {
    return this.licences.filter((l) => l.tenantId === tenantId);
  }
  async subscriptionsOfTenant(_organizationId: string, tenantId: string) {
    return this.subscriptions.filter((s) => s.tenantId === tenantId);
  }
  subscriptionMatches(): Promise<SubscriptionMatchesView> {
    throw new Error('not used by the portal');
  }
  // eslint-disable-next-line require-yield
  async *allLicences(): AsyncIterable<LicenceView[]> {
    throw new Error('not used by the portal');
  }
  openDiscrepancies(): Promise<never> {
    throw new Error('not used by the portal');
  }
  licenceSales(): Promise<never> {
    throw new Error('not used by the portal');
  }
  exclusions(): Promise<never> {
    throw new Error('not used by the portal');
  }
}

// Partner Center as far as quantity changes go: quantities by subscription id, and scripted answers.
export class FakeSubscriptionChanges extends SubscriptionChanges {
  readonly quantities = new Map<string, number>();
  readonly calls: QuantityChange[] = [];
  // The next answers, in order; without one, the change is applied.
  readonly answers: (QuantityChangeOutcome | Error)[] = [];
  readFails = false;

  async changeQuantity(change: QuantityChange): Promise<QuantityChangeOutcome> {
    this.calls.push(change);
    const answer = this.answers.shift();
    if (answer instanceof Error) throw answer;
    if (answer) return answer;
    this.quantities.set(change.subscriptionId, change.to);
    return {
      outcome: 'applied',
      quantity: change.to,
      detail: `Partner Center changed the subscription from ${change.from} to ${change.to} seats.`,
    };
  }

  async currentQuantity(_organizationId: string, _delegatedAdminId: string, _customerTenantId: string, subscriptionId: string) {
    if (this.readFails) throw new Error('Partner Center did not answer');
    return this.quantities.get(subscriptionId) ?? null;
  }

  // New commerce: quantities scheduled for renewal, seats reducible now, by subscription id (absent: unknown).
  readonly scheduled = new Map<string, number>();
  readonly refundable = new Map<string, number>();
  readonly scheduleCalls: QuantityChange[] = [];
  readonly scheduleAnswers: ScheduleOutcome[] = [];
  renewsOn: string | null = '2027-05-11T00:00:00.000Z';

  async subscriptionState(
    _organizationId: string,
    _delegatedAdminId: string,
    _customerTenantId: string,
    subscriptionId: string,
  ): Promise<SubscriptionCommerceState | null> {
    if (this.readFails) throw new Error('Partner Center did not answer');
    const quantity = this.quantities.get(subscriptionId);
    if (quantity === undefined) return null;
    return {
      quantity,
      refundableQuantity: this.refundable.get(subscriptionId) ?? null,
      refundableUntil: null,
      scheduledQuantity: this.scheduled.get(subscriptionId) ?? null,
      renewsOn: this.renewsOn,
      autoRenewEnabled: true,
    };
  }

  async scheduleQuantityAtRenewal(change: QuantityChange): Promise<ScheduleOutcome> {
    this.scheduleCalls.push(change);
    const answer = this.scheduleAnswers.shift();
    if (answer) return answer;
    this.scheduled.set(change.subscriptionId, change.to);
    return {
      outcome: 'scheduled',
      quantity: change.to,
      renewsOn: this.renewsOn,
      detail: `Partner Center will change the subscription from ${change.from} to ${change.to} seats when it renews.`,
    };
  }

  async cancelScheduledQuantity(change: QuantityChange): Promise<ScheduleOutcome | { outcome: 'cancelled'; detail: string }> {
    this.scheduled.delete(change.subscriptionId);
    return { outcome: 'cancelled', detail: 'The change scheduled in Partner Center was removed.' };
  }

  // Partner Center renewing a subscription: its scheduled quantity takes effect.
  renew(subscriptionId: string): void {
    const scheduled = this.scheduled.get(subscriptionId);
    if (scheduled !== undefined) this.quantities.set(subscriptionId, scheduled);
    this.scheduled.delete(subscriptionId);
  }
}

export class RecordingAudit extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}

export class RecordingEvents extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}
