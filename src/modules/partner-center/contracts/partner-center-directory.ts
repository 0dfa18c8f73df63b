// What Sync 365 reads from Partner Center and Graph about a partner's customers, as plain domain values (the
// wire types of libs/microsoft never leave the partner-center module). Every read goes through a delegated
// admin's consent (tokens from the consent module's MicrosoftAccessTokens).
import type { DirectorySubscriptionsRead, SubscribedSkusRead, SubscriptionSnapshot } from '../../../shared/domain/licence-readings';
// The readings themselves are shared-kernel values (src/shared/domain/licence-readings.ts).
export type {
  SkuLicenceSnapshot,
  SubscriptionSnapshot,
  DirectorySubscriptionSnapshot,
  DirectorySubscriptionsRead,
  CustomerDirectoryRefusal,
  DirectorySkuUnits,
  SubscribedSkusRead,
} from '../../../shared/domain/licence-readings';

export interface CustomerSummary {
  tenantId: string;
  companyName: string;
  domain: string;
  // Partner Center's relationshipToPartner: 'reseller', 'advisor', 'none', …
  relationship: string;
}

export interface TenantLicencesSnapshot {
  licences: SubscribedSkusRead;
  subscriptions: SubscriptionSnapshot[];
  directory: DirectorySubscriptionsRead;
}

export interface GdapRelationshipSnapshot {
  id: string;
  displayName: string;
  // Graph's delegatedAdminRelationship status: 'active', 'expired', 'terminated', 'approvalPending', …
  status: string;
  endDateTime: string | null;
  roleIds: string[];
}

export interface GdapAssignmentSnapshot {
  relationshipId: string;
  status: string;
  // The partner security group the roles are granted to.
  groupId: string;
  roleIds: string[];
}

export interface GdapAccessSnapshot {
  relationships: GdapRelationshipSnapshot[];
  assignments: GdapAssignmentSnapshot[];
  // The security groups the delegated admin's service account belongs to (transitively).
  serviceAccountGroupIds: string[];
}

// A read Partner Center or Graph refused for this customer (401/403, no relationship): it will not succeed by
// retrying; `reason` says why in plain words.
export class CustomerReadRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CustomerReadRefusedError';
  }
}

export abstract class PartnerCenterDirectory {
  // Every customer of the partner, one Partner Center page at a time (streamed, never all in memory).
  abstract customerPages(organizationId: string, delegatedAdminId: string): AsyncIterable<CustomerSummary[]>;
  // Partner Center's licences and subscriptions (a refusal of the subscriptions fails the read; licences refused for
  // want of a GDAP role are `licences.unreadable`), then the customer's directory subscriptions through GDAP (a
  // refusal there is `directory.unreadable`, not a failure).
  abstract tenantLicences(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<TenantLicencesSnapshot>;
  abstract gdapAccess(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<GdapAccessSnapshot>;
}
