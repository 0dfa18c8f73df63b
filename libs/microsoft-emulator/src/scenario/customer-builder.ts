import { createHash } from 'node:crypto';
import { addMonths, DAY_MS, isoAt } from './deterministic';
import type {
  Address,
  Customer,
  ExternalSubscription,
  GdapRelationship,
  GdapStatus,
  SubscribedSku,
  Subscription,
  SubscriptionStatus,
  Tenant,
} from './scenario';
import { SKU_CATALOG, type SkuKey } from './sku-catalog';

// Compact descriptions the demo scenario and the generator turn into full records.

export interface LicenceSpec {
  sku: SkuKey;
  quantity: number;
  consumed: number; // licences assigned to users (summed over the specs of one SKU)
  term: 'P1M' | 'P1Y';
  billing?: 'monthly' | 'annual'; // default: monthly for P1M, annual for P1Y
  startDaysAgo: number; // start of the current term
  createdDaysAgo?: number; // first purchase (default: startDaysAgo)
  status?: SubscriptionStatus; // default active
  trial?: boolean;
  autoRenew?: boolean; // default true (false for trials and expired subscriptions)
  boughtElsewhere?: boolean; // in the directory, but not bought through any Partner Center account here
  directoryStatus?: ExternalSubscription['status']; // boughtElsewhere: its status in the directory (default Enabled)
  ownerTenantId?: string; // boughtElsewhere: the partner tenant that sold it (default none: bought from Microsoft)
  friendlyName?: string;
  acceptsChangesLater?: boolean; // quantity changes answer 202 Accepted and are made later
}

export interface CustomerSpec {
  id: string;
  companyName: string;
  domain: string;
  address: Address;
  contact: { firstName: string; lastName: string };
  createdDaysAgo: number;
  seller: Tenant; // the partner whose Partner Center lists the customer
  reseller?: Tenant; // indirect model: the indirect reseller of record
  licences: LicenceSpec[];
}

export type NewId = (label: string) => string;

export function buildCustomer(spec: CustomerSpec, anchor: number, newId: NewId): Customer {
  const customer: Customer = {
    id: spec.id,
    commerceId: newId(`${spec.id}:commerce`),
    companyName: spec.companyName,
    defaultDomain: spec.domain,
    address: spec.address,
    email: `${spec.contact.firstName.toLowerCase()}.${spec.contact.lastName.toLowerCase().replace(/[^a-z]/g, '')}@${spec.domain}`,
    contact: spec.contact,
    partnerIds: [spec.seller.id],
    ...(spec.reseller ? { resellerMpnId: spec.reseller.mpnId, resellerTenantId: spec.reseller.id } : {}),
    createdDateTime: isoAt(anchor - spec.createdDaysAgo * DAY_MS + 10 * 60 * 60 * 1000),
    subscribedSkus: [],
    subscriptions: [],
    externalSubscriptions: [],
    applicationConsents: [], // no app provisioned until a scenario or Partner Center adds one
  };
  spec.licences.forEach((licence, index) => addLicence(customer, spec, licence, anchor, (label) => newId(`${spec.id}:${index}:${label}`)));
  return customer;
}

function addLicence(customer: Customer, spec: CustomerSpec, licence: LicenceSpec, anchor: number, newId: NewId): void {
  const sku = SKU_CATALOG[licence.sku];
  const status = licence.status ?? 'active';
  const termStart = anchor - licence.startDaysAgo * DAY_MS;
  const termMonths = licence.term === 'P1Y' ? 12 : 1;
  const termEnd = addMonths(termStart, termMonths) - DAY_MS;
  const created = anchor - (licence.createdDaysAgo ?? licence.startDaysAgo) * DAY_MS + (9 * 60 + 30) * 60 * 1000;
  const directorySubscriptionId = newId('directory-subscription');

  if (licence.boughtElsewhere) {
    const external: ExternalSubscription = {
      directorySubscriptionId,
      commerceSubscriptionId: newId('commerce-subscription'),
      skuId: sku.skuId,
      quantity: licence.quantity,
      status: licence.directoryStatus ?? 'Enabled',
      isTrial: licence.trial ?? false,
      createdDateTime: isoAt(created),
      nextLifecycleDateTime: isoAt(termEnd + DAY_MS),
    };
    if (licence.ownerTenantId) external.ownerTenantId = licence.ownerTenantId;
    customer.externalSubscriptions.push(external);
  } else {
    const id = newId('subscription');
    const subscription: Subscription = {
      id,
      partnerTenantId: spec.seller.id,
      offerId: `${sku.productId}:${sku.skuCode}:${sku.availabilityId}`,
      offerName: sku.productName,
      friendlyName: licence.friendlyName ?? sku.productName,
      skuId: sku.skuId,
      quantity: licence.quantity,
      termDuration: licence.term,
      billingCycle: licence.billing ?? (licence.term === 'P1Y' ? 'annual' : 'monthly'),
      creationDate: isoAt(created),
      effectiveStartDate: isoAt(termStart),
      commitmentEndDate: isoAt(termEnd),
      // New commerce: seats can be cancelled or reduced for 7 days after purchase or renewal.
      cancellationAllowedUntilDate: isoAt(termStart + 7 * DAY_MS),
      autoRenewEnabled: licence.autoRenew ?? !(licence.trial || status === 'expired'),
      status,
      ...(status === 'suspended' ? { suspensionReasons: ['PartnerInitiated'] } : {}),
      partnerId: spec.reseller?.mpnId ?? spec.seller.mpnId ?? '',
      isTrial: licence.trial ?? false,
      commerceSubscriptionId: id,
      directorySubscriptionId,
      orderId: newId('order'),
      entitlementId: newId('entitlement'),
      etag: etagFor(`${id}:0`),
      ...(licence.acceptsChangesLater ? { acceptsChangesLater: true } : {}),
    };
    customer.subscriptions.push(subscription);
  }

  const subscribed = subscribedSkuFor(customer, sku.skuId);
  subscribed.prepaidUnits[
    licence.boughtElsewhere && licence.directoryStatus ? directoryUnitBucketOf(licence.directoryStatus) : unitBucketOf(status)
  ] += licence.quantity;
  subscribed.consumedUnits += licence.consumed;
  subscribed.capabilityStatus = capabilityStatusOf(subscribed);
}

export function subscribedSkuFor(customer: Customer, skuId: string): SubscribedSku {
  let subscribed = customer.subscribedSkus.find((candidate) => candidate.skuId === skuId);
  if (!subscribed) {
    subscribed = {
      skuId,
      prepaidUnits: { enabled: 0, warning: 0, suspended: 0, lockedOut: 0 },
      consumedUnits: 0,
      capabilityStatus: 'Enabled',
    };
    customer.subscribedSkus.push(subscribed);
  }
  return subscribed;
}

// Where a subscription's seats show up in the directory's licence counts: an expired subscription's seats
// sit in the warning (grace) state, a suspended one's in suspended.
export function unitBucketOf(status: SubscriptionStatus): keyof SubscribedSku['prepaidUnits'] {
  switch (status) {
    case 'expired':
      return 'warning';
    case 'suspended':
      return 'suspended';
    case 'deleted':
    case 'disabled':
      return 'lockedOut';
    default:
      return 'enabled';
  }
}

// The same for a subscription known only by its directory status (bought elsewhere).
export function directoryUnitBucketOf(status: ExternalSubscription['status']): keyof SubscribedSku['prepaidUnits'] {
  switch (status) {
    case 'Warning':
      return 'warning';
    case 'Suspended':
      return 'suspended';
    case 'LockedOut':
    case 'Deleted':
      return 'lockedOut';
    default:
      return 'enabled';
  }
}

export function capabilityStatusOf(subscribed: SubscribedSku): SubscribedSku['capabilityStatus'] {
  const units = subscribed.prepaidUnits;
  if (units.enabled > 0) return 'Enabled';
  if (units.warning > 0) return 'Warning';
  if (units.suspended > 0) return 'Suspended';
  if (units.lockedOut > 0) return 'LockedOut';
  return 'Enabled';
}

// Partner Center etags look like signed 64-bit numbers ("-4242348048554929329").
export function etagFor(text: string): string {
  return createHash('sha256').update(text).digest().readBigInt64BE(0).toString();
}

export interface GdapSpec {
  partner: Tenant;
  customer: Customer;
  status: GdapStatus;
  activatedDaysAgo: number;
  durationDays?: number; // default 730 (the maximum, two years)
  roleDefinitionIds: string[];
  assignments: { securityGroupId: string; roleDefinitionIds: string[] }[];
  displayName?: string;
  kind?: GdapRelationship['kind'];
  indirectProviderTenantId?: string;
}

export function buildGdapRelationship(spec: GdapSpec, anchor: number, newId: NewId): GdapRelationship {
  const durationDays = spec.durationDays ?? 730;
  const pending = spec.status === 'approvalPending' || spec.status === 'created';
  const created = anchor - (spec.activatedDaysAgo + 1) * DAY_MS + 8 * 60 * 60 * 1000;
  const activated = anchor - spec.activatedDaysAgo * DAY_MS + 9 * 60 * 60 * 1000;
  const end = activated + durationDays * DAY_MS;
  const modified = spec.status === 'expired' || spec.status === 'terminated' ? Math.min(end, anchor) : activated;
  const relationship: GdapRelationship = {
    // Microsoft's relationship ids are two GUIDs joined by a dash; the second one repeats across a
    // partner's relationships in the documented sample, so the emulator uses the partner tenant id.
    id: `${newId('gdap')}-${spec.partner.id}`,
    kind: spec.kind ?? 'delegatedAdminRelationship',
    displayName: spec.displayName ?? `${spec.partner.displayName.split(' ')[0]} GDAP ${spec.customer.companyName}`.slice(0, 50),
    partnerTenantId: spec.partner.id,
    customerTenantId: spec.customer.id,
    customerDisplayName: spec.customer.companyName,
    status: spec.status,
    duration: `P${durationDays}D`,
    // Microsoft refuses auto-extension on relationships that include Global Administrator.
    autoExtendDuration: spec.roleDefinitionIds.includes('62e90394-69f5-4237-9190-012177145e10') || pending ? 'PT0S' : 'P180D',
    createdDateTime: isoTicks(created),
    lastModifiedDateTime: isoTicks(pending ? created : modified),
    activatedDateTime: pending ? null : isoTicks(activated),
    endDateTime: pending ? null : isoTicks(end),
    roleDefinitionIds: [...spec.roleDefinitionIds],
    accessAssignments: pending
      ? []
      : spec.assignments.map((assignment, index) => ({
          id: newId(`gdap-assignment-${index}`),
          securityGroupId: assignment.securityGroupId,
          roleDefinitionIds: [...assignment.roleDefinitionIds],
          status: 'active',
          createdDateTime: isoTicks(activated + 60 * 1000),
          lastModifiedDateTime: isoTicks(activated + 5 * 60 * 1000),
        })),
    ...(spec.indirectProviderTenantId ? { indirectProviderTenantId: spec.indirectProviderTenantId } : {}),
    ...(spec.kind === 'resellerDelegatedAdminRelationship' ? { isPartnerConsentPending: pending } : {}),
  };
  return relationship;
}

// Graph prints 7 fractional digits ("2022-02-10T11:24:42.3148266Z").
export function isoTicks(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
