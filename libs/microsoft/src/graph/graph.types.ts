// Wire shapes of Microsoft Graph v1.0 (microsoft-graph-docs-contrib, msgraph-metadata; FACTS §3). Only the
// fields we read, optional where Graph may leave them out; Graph adds fields and enum members over time.

type Open<T extends string> = T | (string & {});

// Paging: follow @odata.nextLink (absolute, opaque, carries $skiptoken) until it is absent.
export interface GraphCollection<T> {
  '@odata.context'?: string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: T[];
}

export interface GraphError {
  error: {
    code: string;
    message: string;
    innerError?: { 'request-id'?: string; 'client-request-id'?: string; date?: string; code?: string; message?: string; status?: string };
  };
}

export interface GraphVerifiedDomain {
  name: string;
  isDefault?: boolean;
  isInitial?: boolean;
  capabilities?: string;
  type?: string;
}

export interface GraphAssignedPlan {
  assignedDateTime?: string;
  capabilityStatus?: string;
  service?: string;
  servicePlanId?: string;
}

export type GraphPartnerTenantType = Open<
  | 'microsoftSupport'
  | 'syndicatePartner'
  | 'breadthPartner'
  | 'breadthPartnerDelegatedAdmin'
  | 'resellerPartnerDelegatedAdmin'
  | 'valueAddedResellerPartnerDelegatedAdmin'
  | 'unknownFutureValue'
>;

// §3.3
export interface GraphOrganization {
  id: string;
  displayName?: string | null;
  verifiedDomains?: GraphVerifiedDomain[];
  assignedPlans?: GraphAssignedPlan[];
  countryLetterCode?: string | null;
  tenantType?: string | null;
  createdDateTime?: string | null;
  partnerTenantType?: GraphPartnerTenantType | null;
}

export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  preferredLanguage?: string | null;
}

export interface GraphServicePlanInfo {
  servicePlanId?: string;
  servicePlanName?: string;
  provisioningStatus?: string;
  appliesTo?: string;
}

export interface GraphLicenseUnitsDetail {
  enabled?: number;
  lockedOut?: number;
  suspended?: number;
  warning?: number;
}

// §3.2. id is "{accountId}_{skuId}".
export interface GraphSubscribedSku {
  id: string;
  accountId?: string;
  accountName?: string;
  appliesTo?: Open<'User' | 'Company'>;
  capabilityStatus?: Open<'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut'>;
  consumedUnits?: number;
  prepaidUnits?: GraphLicenseUnitsDetail;
  servicePlans?: GraphServicePlanInfo[];
  skuId: string;
  skuPartNumber?: string;
  subscriptionIds?: string[];
}

// GET /directory/subscriptions (resources/companysubscriptions.md)
export interface GraphCompanySubscription {
  id: string;
  commerceSubscriptionId?: string;
  createdDateTime?: string;
  isTrial?: boolean;
  nextLifecycleDateTime?: string | null;
  serviceStatus?: GraphServicePlanInfo[];
  skuId?: string;
  skuPartNumber?: string;
  status?: Open<'Enabled' | 'Expired' | 'Suspended'>;
  totalLicenses?: number;
  ownerId?: string;
  ownerTenantId?: string;
  ownerType?: string;
}

// Items of memberOf / transitiveMemberOf: groups, directory roles, administrative units.
export interface GraphDirectoryObject {
  '@odata.type'?: Open<'#microsoft.graph.group' | '#microsoft.graph.directoryRole' | '#microsoft.graph.administrativeUnit'>;
  id: string;
  displayName?: string | null;
  description?: string | null;
  securityEnabled?: boolean;
  mailEnabled?: boolean;
  groupTypes?: string[];
  isAssignableToRole?: boolean | null;
  roleTemplateId?: string; // directoryRole
}

export interface GraphUnifiedRole {
  roleDefinitionId: string;
}

export type DelegatedAdminRelationshipStatus = Open<
  | 'activating'
  | 'active'
  | 'approvalPending'
  | 'approved'
  | 'created'
  | 'expired'
  | 'expiring'
  | 'terminated'
  | 'terminating'
  | 'terminationRequested'
  | 'unknownFutureValue'
>;

// §3.4. Items are delegatedAdminRelationship or resellerDelegatedAdminRelationship (the last two fields).
export interface GraphDelegatedAdminRelationship {
  '@odata.type'?: Open<'#microsoft.graph.delegatedAdminRelationship' | '#microsoft.graph.resellerDelegatedAdminRelationship'>;
  '@odata.etag'?: string;
  id: string;
  displayName?: string;
  duration?: string; // ISO-8601, e.g. P730D
  autoExtendDuration?: string;
  status?: DelegatedAdminRelationshipStatus;
  customer?: { tenantId: string; displayName?: string };
  accessDetails?: { unifiedRoles?: GraphUnifiedRole[] };
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  activatedDateTime?: string | null;
  endDateTime?: string | null;
  indirectProviderTenantId?: string;
  isPartnerConsentPending?: boolean;
}

export type DelegatedAdminAccessAssignmentStatus = Open<'pending' | 'active' | 'deleting' | 'deleted' | 'error' | 'unknownFutureValue'>;

export interface GraphDelegatedAdminAccessAssignment {
  '@odata.type'?: string;
  '@odata.etag'?: string;
  id: string;
  status?: DelegatedAdminAccessAssignmentStatus;
  accessContainer?: { accessContainerId: string; accessContainerType?: Open<'securityGroup'> };
  accessDetails?: { unifiedRoles?: GraphUnifiedRole[] };
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}
