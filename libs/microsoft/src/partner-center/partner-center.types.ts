// Wire shapes of the Partner Center REST API v1 (MicrosoftDocs/partner-center-sdk, FACTS §2.3–2.11).
// Only what Microsoft documents; optional wherever a documented sample leaves a field out. Enums are
// serialised lower snake_case; unknown values still type-check (`| (string & {})`) because Microsoft adds them.

type Open<T extends string> = T | (string & {});

export interface PartnerCenterLinkHeader {
  key: string;
  value: string;
}

// uri is relative, seen with and without the /v1 prefix ("/v1/customers?size=40", "/customers?…").
export interface PartnerCenterLink {
  uri: string;
  method?: string;
  headers?: PartnerCenterLinkHeader[];
  body?: string;
}

export interface PartnerCenterLinks {
  self?: PartnerCenterLink;
  next?: PartnerCenterLink;
  previous?: PartnerCenterLink;
  [name: string]: PartnerCenterLink | undefined;
}

export interface PartnerCenterAttributes {
  objectType?: string;
  etag?: string;
}

// §2.3. continuationToken appears on seek-paged collections only.
export interface PartnerCenterCollection<T> {
  totalCount?: number;
  items: T[];
  continuationToken?: string;
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

export interface PartnerCenterAddress {
  country?: string;
  region?: string;
  city?: string;
  state?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  postalCode?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
}

export interface PartnerCenterContact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
}

export interface CustomerCompanyProfile {
  tenantId?: string;
  domain?: string;
  companyName?: string;
  address?: PartnerCenterAddress;
  email?: string;
  organizationRegistrationNumber?: string;
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

export interface CustomerBillingProfile {
  id?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  culture?: string;
  language?: string;
  companyName?: string;
  defaultAddress?: PartnerCenterAddress;
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

export type CustomerRelationshipToPartner = Open<'none' | 'reseller' | 'advisor' | 'syndication' | 'microsoft_support'>;

// §2.5. List items carry only id, companyProfile, relationshipToPartner; allowDelegatedAccess only by id.
export interface PartnerCenterCustomer {
  id: string; // the customer's tenant id
  commerceId?: string;
  companyProfile?: CustomerCompanyProfile;
  billingProfile?: CustomerBillingProfile;
  relationshipToPartner?: CustomerRelationshipToPartner;
  allowDelegatedAccess?: boolean;
  userCredentials?: { userName?: string; password?: string };
  customDomains?: string[];
  associatedPartnerId?: string; // the indirect reseller, set by indirect providers
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

// §2.4: CustomerSearchField; `starts_with` is the only operator, the value is case-insensitive.
export interface CustomerFilter {
  field: Open<'CompanyName' | 'Domain' | 'IndirectReseller'>;
  value: string;
}

export type SubscriptionStatus = Open<'none' | 'active' | 'pending' | 'suspended' | 'deleted' | 'expired' | 'disabled'>;
export type BillingCycle = Open<'unknown' | 'monthly' | 'annual' | 'none' | 'one_time' | 'triennial' | 'biennial'>;

// §2.6. Dates are kept as sent (the documented sample has "2015-11-25T06: 41: 12Z"); parse them with
// parseMicrosoftDateTime.
export interface PartnerCenterSubscription {
  id: string;
  offerId?: string;
  entitlementId?: string;
  offerName?: string;
  friendlyName?: string;
  productType?: { id?: string; displayName?: string };
  quantity?: number;
  unitType?: string;
  parentSubscriptionId?: string | null;
  consumptionType?: string;
  creationDate?: string;
  effectiveStartDate?: string;
  commitmentEndDate?: string;
  commitmentEndDateTime?: string;
  cancellationAllowedUntilDate?: string;
  billingCycleEndDate?: string;
  status?: SubscriptionStatus;
  autoRenewEnabled?: boolean;
  billingType?: Open<'none' | 'usage' | 'license'>;
  billingCycle?: BillingCycle;
  hasPurchasableAddons?: boolean;
  isTrial?: boolean;
  isMicrosoftProduct?: boolean;
  publisherName?: string;
  actions?: string[];
  partnerId?: string | null; // MPN ID of the reseller of record (indirect model)
  suspensionReasons?: string[];
  contractType?: Open<'subscription' | 'productKey' | 'redemptionCode'>;
  refundOptions?: Array<{ type?: string; expiresAt?: string }>;
  links?: PartnerCenterLinks;
  orderId?: string;
  termDuration?: string; // P1M, P1Y, P3Y
  renewalTermDuration?: string;
  promotionId?: string;
  migratedFromSubscriptionId?: string;
  refundableQuantity?: { totalQuantity?: number; details?: Array<{ quantity?: number; allowedUntilDateTime?: string }> };
  scheduledNextTermInstructions?: PartnerCenterScheduledNextTermInstructions | null;
  attributes?: PartnerCenterAttributes;
}

// create-scheduled-changes.md: what the subscription becomes at its next renewal.
export interface PartnerCenterScheduledNextTermInstructions {
  product?: { productId?: string; skuId?: string; availabilityId?: string; billingCycle?: string; termDuration?: string };
  quantity?: number;
  customTermEndDate?: string;
}

// get-subscription-transitions.md: GET …/transitionEligibilities?eligibilityType=immediate|scheduled.
export interface PartnerCenterTransitionEligibility {
  catalogItemId?: string; // productId:skuId:availabilityId
  title?: string;
  description?: string;
  quantity?: number;
  eligibilities?: Array<{ isEligible?: boolean; transitionType?: string; errors?: Array<{ code?: number; description?: string }> }>;
  attributes?: PartnerCenterAttributes;
}

// PATCH answers 200 with the updated subscription, or 202 with a Location to poll when it takes longer
// (change-the-quantity-of-a-subscription.md).
export type SubscriptionQuantityUpdate =
  { state: 'updated'; subscription: PartnerCenterSubscription } | { state: 'accepted'; location?: string };

export interface PartnerCenterProductSku {
  id: string;
  name?: string;
  skuPartNumber?: string;
  targetType?: Open<'User' | 'Tenant'>;
  licenseGroupId?: string;
}

export interface PartnerCenterServicePlan {
  displayName?: string;
  serviceName?: string;
  id?: string;
  capabilityStatus?: string;
  targetType?: string;
}

// §2.7 (App+User only). availableUnits = totalUnits − consumedUnits; totalUnits = active + warning.
export interface PartnerCenterSubscribedSku {
  availableUnits?: number;
  activeUnits?: number;
  consumedUnits?: number;
  suspendedUnits?: number;
  totalUnits?: number;
  warningUnits?: number;
  productSku: PartnerCenterProductSku;
  servicePlans?: PartnerCenterServicePlan[];
  capabilityStatus?: string;
  attributes?: PartnerCenterAttributes;
}

export interface PartnerCenterInvoiceDetail {
  invoiceLineItemType?: string;
  billingProvider?: string;
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

// §2.9
export interface PartnerCenterInvoice {
  id: string;
  invoiceDate?: string;
  totalCharges?: number;
  paidAmount?: number;
  currencyCode?: string;
  currencySymbol?: string;
  pdfDownloadLink?: string;
  taxReceipts?: Array<{ id?: string; taxReceiptPdfDownloadLink?: string }>;
  invoiceDetails?: PartnerCenterInvoiceDetail[];
  documentType?: string;
  invoiceType?: Open<'Recurring' | 'OneTime'>;
  amendsOf?: string;
  amendments?: PartnerCenterInvoice[];
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

export type PartnerRelationshipType = 'IsIndirectCloudSolutionProviderOf' | 'IsIndirectResellerOf';

// §2.10. `id` is the other partner's tenant id; relationshipType comes back snake_case.
export interface PartnerCenterPartnerRelationship {
  id: string;
  name?: string;
  relationshipType?: Open<'is_indirect_cloud_solution_provider_of' | 'is_indirect_reseller_of'>;
  state?: string;
  mpnId?: string;
  location?: string;
  attributes?: PartnerCenterAttributes;
}

// §2.8
export interface PartnerCenterOrganizationProfile {
  id?: string;
  companyName?: string;
  defaultAddress?: PartnerCenterAddress;
  tenantId?: string;
  domain?: string;
  email?: string;
  language?: string;
  culture?: string;
  profileType?: string; // "OrganizationProfile"
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

export interface PartnerCenterMpnProfile {
  partnerName?: string;
  mpnId?: string;
  profileType?: string; // "MpnProfile"
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}

// §2.11 ApiFault: `code` is a number on most errors, a string on some.
export interface PartnerCenterApiFault {
  code: number | string;
  description?: string;
  data?: unknown[];
  source?: string;
  errorName?: string;
  attributes?: PartnerCenterAttributes;
}

// §2.12: the 429 body is not an ApiFault.
export interface PartnerCenterThrottleBody {
  statusCode: number;
  message: string;
}

// control-panel-vendor-apis.md (Partner Center SDK ApplicationConsent / ApplicationGrant): a multi-tenant app
// provisioned in a customer directory. `scope` is a comma-separated list of the resource's permissions;
// enterpriseApplicationId is the resource app (Microsoft Graph: 00000003-0000-0000-c000-000000000000).
export interface PartnerCenterApplicationGrant {
  enterpriseApplicationId: string;
  scope: string;
}

export interface PartnerCenterApplicationConsent {
  applicationId: string;
  displayName?: string;
  applicationGrants: PartnerCenterApplicationGrant[];
}

// A SKU of the Partner Center catalogue (product-resources.md "Sku"; sample in get-a-sku-by-id.md).
export interface PartnerCenterCatalogueSku {
  id?: string;
  productId?: string;
  title?: string;
  description?: string;
  minimumQuantity?: number;
  maximumQuantity?: number;
  isTrial?: boolean;
  supportedBillingCycles?: string[];
  purchasePrerequisites?: string[];
  inventoryVariables?: string[];
  provisioningVariables?: string[];
  dynamicAttributes?: Record<string, unknown>;
  links?: PartnerCenterLinks;
  attributes?: PartnerCenterAttributes;
}
