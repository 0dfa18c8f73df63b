import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../shared/domain/guid';
import { SelfServicePortals } from '../../direct-csp';
import { isOpen, type ChangeRequest } from '../domain/change-request';
import type { PortalUser } from '../domain/portal-user';
import { requestSummary, type RequestSummary } from '../domain/request-summary';
import { ChangeRequestNotFoundError, PortalTenantNotFoundError, SubscriptionNotFoundError } from '../domain/portal.errors';
import { ChangeRequestRepository } from './ports/change-request.repository';
import { PortalUserRepository } from './ports/portal-user.repository';
import { PortalTenants, type PortalTenant } from './portal-tenants';
import type { PortalViewer } from './portal-viewer';
import { TenantPictureReader, type PortalSubscription, type TenantPicture } from './tenant-picture';

const HISTORY = 100;

export interface CustomerOverview {
  picture: TenantPicture;
  // The open request of each subscription, by subscription id (lower case).
  openBySubscription: Map<string, ChangeRequest>;
  requests: ChangeRequest[];
}

export interface PartnerTenantPortal {
  tenant: PortalTenant;
  enabled: boolean;
  users: PortalUser[];
  requests: ChangeRequest[];
}

// What the portal's pages show, the customer's and the partner's. Always within one organization, and for the
// customer within their own tenant.
@Injectable()
export class PortalQueries {
  constructor(
    private readonly pictures: TenantPictureReader,
    private readonly requests: ChangeRequestRepository,
    private readonly users: PortalUserRepository,
    private readonly tenants: PortalTenants,
    private readonly portals: SelfServicePortals,
  ) {}

  async overview(viewer: PortalViewer, now: Date): Promise<CustomerOverview> {
    const [picture, requests] = await Promise.all([
      this.pictures.read(viewer.organizationId, viewer.tenantId, now),
      this.requests.ofTenant(viewer.organizationId, viewer.tenantId, HISTORY),
    ]);
    return { picture, openBySubscription: openBySubscription(requests), requests };
  }

  async subscription(
    viewer: PortalViewer,
    subscriptionId: string,
    now: Date,
  ): Promise<{ subscription: PortalSubscription; open: ChangeRequest | null }> {
    const overview = await this.overview(viewer, now);
    const subscription = overview.picture.subscriptions.find((s) => s.facts.id.toLowerCase() === subscriptionId.toLowerCase());
    if (!subscription) throw new SubscriptionNotFoundError();
    return { subscription, open: overview.openBySubscription.get(subscription.facts.id.toLowerCase()) ?? null };
  }

  usersOf(viewer: PortalViewer): Promise<PortalUser[]> {
    return this.users.ofTenant(viewer.organizationId, viewer.tenantId);
  }

  async tenantPortal(organizationId: string, tenantId: string): Promise<PartnerTenantPortal> {
    const tenant = await this.tenants.find(organizationId, tenantId);
    if (!tenant) throw new PortalTenantNotFoundError();
    const [enabled, users, requests] = await Promise.all([
      this.portals.isEnabled(organizationId, tenant.tenantId),
      this.users.ofTenant(organizationId, tenant.tenantId),
      this.requests.ofTenant(organizationId, tenant.tenantId, HISTORY),
    ]);
    return { tenant, enabled, users, requests };
  }

  openRequests(organizationId: string): Promise<ChangeRequest[]> {
    return this.requests.open(organizationId);
  }

  // What approving a request would change, for the partner to confirm first: the request and its subscription as
  // the portal sees it now (null when the tenant's latest read no longer has it).
  async approval(
    organizationId: string,
    requestId: string,
    now: Date,
  ): Promise<{ request: ChangeRequest; subscription: PortalSubscription | null }> {
    const request = isGuid(requestId) ? await this.requests.find(organizationId, requestId.toLowerCase()) : null;
    if (!request) throw new ChangeRequestNotFoundError();
    const picture = await this.pictures.read(organizationId, request.tenantId, now);
    return {
      request,
      subscription: picture.subscriptions.find((s) => s.facts.id.toLowerCase() === request.subscriptionId.toLowerCase()) ?? null,
    };
  }

  async summary(
    organizationId: string,
    partnerName: string,
    since: Date,
    until: Date,
  ): Promise<{ summary: RequestSummary; requests: ChangeRequest[] }> {
    const requests = await this.requests.activitySince(organizationId, since);
    return { summary: requestSummary(requests, { partnerName, since, until }), requests };
  }
}

function openBySubscription(requests: ChangeRequest[]): Map<string, ChangeRequest> {
  const open = new Map<string, ChangeRequest>();
  for (const request of requests) if (isOpen(request)) open.set(request.subscriptionId.toLowerCase(), request);
  return open;
}
