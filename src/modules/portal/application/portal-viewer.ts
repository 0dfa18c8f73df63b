import type { PortalRole } from '../domain/portal-user';

// What the session keeps after a portal sign-in: ids only (never `request.user`, the dashboard's principal), so a
// portal user is never a staff user and a staff user never a portal user.
export interface PortalPrincipal {
  portalUserId: string;
  organizationId: string;
}

// Who is using the licence portal: a portal user of one customer tenant, re-read on every request so a removed
// user, or a portal switched off, loses access at once.
export interface PortalViewer {
  portalUserId: string;
  organizationId: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  role: PortalRole;
  companyName: string;
  // The partner's name as its Microsoft directory is called (the portal is branded with it).
  partnerName: string;
}

// The name a portal user's actions carry in the partner's audit log.
export function auditNameOf(viewer: PortalViewer): string {
  return `${viewer.displayName} (${viewer.companyName}, licence portal)`;
}
