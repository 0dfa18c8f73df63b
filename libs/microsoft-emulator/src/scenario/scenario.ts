// Plain data describing the fake Microsoft world: directories and users (identity), partner security
// groups, customers with their licences and Partner Center subscriptions, GDAP relationships, the indirect
// model's provider/reseller links and invoices. Everything is JSON-serialisable; ids are GUID strings.

// How a CSP partner is billed (FACTS §4): direct-bill (tier 1), indirect provider (tier 2 distributor)
// or indirect reseller (sells through a provider, no Partner Center API access).
export type PartnerType = 'direct' | 'indirectProvider' | 'indirectReseller';

export interface Address {
  country: string; // ISO 3166 alpha-2
  region: string;
  city: string;
  addressLine1: string;
  postalCode: string;
  phoneNumber: string;
}

export interface Tenant {
  id: string;
  displayName: string;
  defaultDomain: string;
  kind: 'partner' | 'customer';
  partnerType?: PartnerType; // partner tenants
  mpnId?: string; // partner tenants: the MPN / partner location id
  // User consent is switched off in this directory: only a Global Administrator can consent to apps.
  requiresAdminConsent?: boolean;
  address?: Address;
  email?: string;
}

export interface User {
  id: string; // the object id (`oid` claim)
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  password: string;
  mfa: boolean;
  roles: string[]; // e.g. 'GlobalAdministrator', 'AdminAgent', 'SalesAgent'
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  redirectUris: string[];
}

// A security group in a partner directory; GDAP access assignments grant roles to these groups.
export interface SecurityGroup {
  id: string;
  tenantId: string;
  displayName: string;
  description?: string;
  memberIds: string[]; // user object ids
}

export interface ServicePlan {
  id: string;
  serviceName: string; // e.g. EXCHANGE_S_STANDARD
  displayName: string;
  appliesTo: 'User' | 'Company';
}

// One product of the licence catalogue: Graph's skuId/skuPartNumber and the NCE catalogue ids.
export interface Sku {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  productId: string; // NCE product id, e.g. CFQ7TTC0LH18
  skuCode: string; // NCE sku id within the product, e.g. 0001
  availabilityId: string;
  servicePlans: ServicePlan[];
}

export type SkuCapabilityStatus = 'Enabled' | 'Warning' | 'Suspended' | 'LockedOut' | 'Deleted';

// A licence in the customer's directory (Graph subscribedSku / Partner Center SubscribedSku).
export interface SubscribedSku {
  skuId: string;
  prepaidUnits: { enabled: number; warning: number; suspended: number; lockedOut: number };
  consumedUnits: number; // assigned licences; may exceed prepaidUnits.enabled (over-assigned)
  capabilityStatus: SkuCapabilityStatus;
}

export type SubscriptionStatus = 'active' | 'pending' | 'suspended' | 'expired' | 'deleted' | 'disabled';

// A Partner Center subscription (FACTS §2.6). Graph's directory/subscriptions shows it as a
// companySubscription whose commerceSubscriptionId is this subscription's id.
export interface Subscription {
  id: string;
  partnerTenantId: string; // the partner that sold it: only that partner's Partner Center lists it
  offerId: string;
  offerName: string;
  friendlyName: string;
  skuId: string;
  quantity: number;
  termDuration: 'P1M' | 'P1Y' | 'P3Y';
  billingCycle: 'monthly' | 'annual' | 'triennial' | 'none';
  creationDate: string;
  effectiveStartDate: string; // start of the current term
  commitmentEndDate: string;
  cancellationAllowedUntilDate: string; // NCE: term start + 7 days
  autoRenewEnabled: boolean;
  status: SubscriptionStatus;
  suspensionReasons?: string[];
  partnerId: string; // MPN id of the reseller of record (indirect model); the seller's own MPN id for direct bill
  isTrial: boolean;
  commerceSubscriptionId: string;
  directorySubscriptionId: string; // companySubscription.id in Graph
  orderId: string;
  entitlementId: string;
  etag: string;
  // New commerce (FACTS §7a.4): seats by the day they were added (purchase, renewal, mid-term addition); each lot
  // can be reduced for 7 days. Absent: one lot of `quantity` added at effectiveStartDate.
  seatLots?: SeatLot[];
  // A change Partner Center makes at renewal (create-scheduled-changes.md); null or absent: none.
  scheduledNextTermInstructions?: ScheduledNextTermInstructions | null;
  // The term the next renewal starts (absent: the same as termDuration).
  renewalTermDuration?: 'P1M' | 'P1Y' | 'P3Y';
  // Quantity changes are answered 202 Accepted + Location and applied later (FACTS §7a.5).
  acceptsChangesLater?: boolean;
  // A change accepted with 202 and not made yet: applied when the emulator clock reaches completesAt.
  pendingChange?: { quantity: number; completesAt: string } | null;
}

export interface SeatLot {
  quantity: number;
  addedAt: string; // ISO-8601; reducible until addedAt + 7 days
}

export interface ScheduledNextTermInstructions {
  product: { productId: string; skuId: string; availabilityId: string; billingCycle: string; termDuration: string };
  quantity: number;
}

// A subscription the customer got elsewhere (web direct, another channel): in the directory, not in
// any of this world's Partner Center accounts.
export interface ExternalSubscription {
  directorySubscriptionId: string;
  commerceSubscriptionId: string;
  skuId: string;
  quantity: number;
  status: 'Enabled' | 'Warning' | 'Suspended' | 'LockedOut' | 'Deleted';
  isTrial: boolean;
  createdDateTime: string;
  nextLifecycleDateTime: string;
  // Graph's ownerTenantId: the partner tenant that sold it; absent when bought from Microsoft directly.
  ownerTenantId?: string;
}

// A multi-tenant app provisioned in a customer directory (its service principal and grants), as Partner Center's
// applicationconsents API creates it (control-panel-vendor-apis; ApplicationConsent/ApplicationGrant in the
// Partner Center SDK). Without one, Entra refuses customer-tenant tokens for that app with AADSTS65001.
export interface ApplicationConsent {
  applicationId: string;
  displayName: string;
  applicationGrants: { enterpriseApplicationId: string; scope: string }[];
  createdDateTime: string;
}

// A customer Conditional Access policy that targets service-provider (GDAP) users and refuses the partner's
// customer-tenant tokens (FACTS §7a.7): 'mfa' → AADSTS50076, 'block' → AADSTS53003, 'compliantDevice' → AADSTS53000.
export type ConditionalAccessRefusal = 'mfa' | 'block' | 'compliantDevice';

export interface Customer {
  id: string; // the customer's tenant id
  commerceId: string;
  companyName: string;
  defaultDomain: string;
  address: Address;
  email: string;
  contact: { firstName: string; lastName: string };
  partnerIds: string[]; // partner tenants with a commerce (reseller) relationship
  resellerMpnId?: string; // indirect model: the indirect reseller's MPN id
  resellerTenantId?: string;
  createdDateTime: string;
  subscribedSkus: SubscribedSku[];
  subscriptions: Subscription[];
  externalSubscriptions: ExternalSubscription[];
  // Apps provisioned in this directory; absent = none (customer-tenant tokens are refused with AADSTS65001).
  applicationConsents?: ApplicationConsent[];
  conditionalAccess?: ConditionalAccessRefusal;
  // Domains the customer verified in its directory besides the initial one (Graph organization verifiedDomains);
  // Partner Center's companyProfile.domain names only one domain.
  customDomains?: string[];
}

export type GdapStatus =
  | 'activating'
  | 'active'
  | 'approvalPending'
  | 'approved'
  | 'created'
  | 'expired'
  | 'expiring'
  | 'terminated'
  | 'terminating'
  | 'terminationRequested';

export interface GdapAccessAssignment {
  id: string;
  securityGroupId: string;
  roleDefinitionIds: string[];
  status: 'pending' | 'active' | 'deleting' | 'deleted' | 'error';
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface GdapRelationship {
  id: string;
  kind: 'delegatedAdminRelationship' | 'resellerDelegatedAdminRelationship';
  displayName: string;
  partnerTenantId: string;
  customerTenantId: string;
  customerDisplayName: string;
  status: GdapStatus;
  duration: string; // ISO-8601, e.g. P730D
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
  roleDefinitionIds: string[];
  accessAssignments: GdapAccessAssignment[];
  indirectProviderTenantId?: string; // reseller relationships only
  isPartnerConsentPending?: boolean;
}

// The indirect model: a provider (distributor) sells through resellers.
export interface IndirectRelationship {
  providerTenantId: string;
  resellerTenantId: string;
  location: string;
}

export interface Invoice {
  id: string;
  partnerTenantId: string;
  invoiceDate: string;
  totalCharges: number;
  paidAmount: number;
  currencyCode: string;
  currencySymbol: string;
  invoiceType: 'Recurring' | 'OneTime';
  billingProvider: 'office' | 'azure' | 'one_time';
}

export interface Scenario {
  name: string;
  tenants: Tenant[]; // partner directories (customers live in `customers`)
  users: User[];
  securityGroups?: SecurityGroup[];
  skus?: Sku[];
  customers?: Customer[];
  gdapRelationships?: GdapRelationship[];
  indirectRelationships?: IndirectRelationship[];
  invoices?: Invoice[];
}

// A scenario with every optional collection present.
export type CompleteScenario = Required<Scenario>;

export function completeScenario(scenario: Scenario): CompleteScenario {
  return {
    securityGroups: [],
    skus: [],
    customers: [],
    gdapRelationships: [],
    indirectRelationships: [],
    invoices: [],
    ...scenario,
  };
}
