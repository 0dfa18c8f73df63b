import { etagFor } from '../scenario/customer-builder';
import { guidFromName } from '../scenario/deterministic';
import type { Customer, IndirectRelationship, Invoice, Sku, SubscribedSku, Subscription, Tenant } from '../scenario/scenario';
import { refundableQuantityOf } from '../state/subscription-changes';

// Partner Center wire shapes, key for key like the documented samples (test/fixtures/microsoft/pc-*.json).

export interface Link {
  uri: string;
  method: 'GET';
  headers: { key: string; value: string }[];
}

export function link(uri: string, headers: { key: string; value: string }[] = []): Link {
  return { uri, method: 'GET', headers };
}

export function collection(items: unknown[], links?: Record<string, Link>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { totalCount: items.length, items, ...(links ? { links } : {}), ...extra, attributes: { objectType: 'Collection' } };
}

// List items carry only what get-a-list-of-customers.md shows (no allowDelegatedAccess, no links).
export function customerListItem(customer: Customer, viewer: Tenant): Record<string, unknown> {
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.defaultDomain,
      companyName: customer.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: 'reseller',
    ...associatedPartner(customer, viewer),
    attributes: { objectType: 'Customer' },
  };
}

export function customerResource(customer: Customer, viewer: Tenant): Record<string, unknown> {
  const { address, contact } = customer;
  return {
    id: customer.id,
    commerceId: customer.commerceId,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.defaultDomain,
      companyName: customer.companyName,
      address: { ...address },
      email: customer.email,
      links: { self: link(`/customers/${customer.id}/profiles/company`) },
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile: {
      id: guidFromName(`billing-profile:${customer.id}`),
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: customer.email,
      culture: 'en-US',
      language: 'en',
      companyName: customer.companyName,
      defaultAddress: {
        country: address.country,
        city: address.city,
        state: address.region,
        addressLine1: address.addressLine1,
        postalCode: address.postalCode,
        firstName: contact.firstName,
        lastName: contact.lastName,
        phoneNumber: address.phoneNumber,
      },
      links: { self: link(`/customers/${customer.id}/profiles/billing`) },
      attributes: { etag: etagFor(`billing:${customer.id}`), objectType: 'CustomerBillingProfile' },
    },
    relationshipToPartner: 'reseller',
    ...associatedPartner(customer, viewer),
    // DAP, the legacy delegated access this flag describes, is retired; GDAP replaced it.
    allowDelegatedAccess: false,
    customDomains: [customer.defaultDomain],
    links: { self: link(`/customers/${customer.id}`) },
    attributes: { objectType: 'Customer' },
  };
}

// An indirect provider sees which reseller a customer buys through (customer-resources.md).
function associatedPartner(customer: Customer, viewer: Tenant): Record<string, string> {
  return viewer.partnerType === 'indirectProvider' && customer.resellerMpnId ? { associatedPartnerId: customer.resellerMpnId } : {};
}

export function subscriptionResource(
  customer: Customer,
  subscription: Subscription,
  sku: Sku | undefined,
  now: number,
): Record<string, unknown> {
  const cancellable = subscription.status === 'active' && now <= Date.parse(subscription.cancellationAllowedUntilDate);
  const product = sku ? `/products/${sku.productId}` : undefined;
  return {
    id: subscription.id,
    offerId: subscription.offerId,
    entitlementId: subscription.entitlementId,
    offerName: subscription.offerName,
    friendlyName: subscription.friendlyName,
    productType: { id: 'OnlineServicesNCE', displayName: 'OnlineServicesNCE' },
    quantity: subscription.quantity,
    unitType: 'Licenses',
    hasPurchasableAddons: false,
    creationDate: subscription.creationDate,
    effectiveStartDate: subscription.effectiveStartDate,
    commitmentEndDate: subscription.commitmentEndDate,
    cancellationAllowedUntilDate: subscription.cancellationAllowedUntilDate,
    status: subscription.status,
    autoRenewEnabled: subscription.autoRenewEnabled,
    isTrial: subscription.isTrial,
    billingType: 'license',
    billingCycle: subscription.billingCycle,
    termDuration: subscription.termDuration,
    // get-a-subscription-by-id.md (new commerce): the term the next renewal starts, the seats that can still be
    // reduced now, and the change scheduled for renewal (null when none, as in create-scheduled-changes.md).
    renewalTermDuration: subscription.renewalTermDuration ?? subscription.termDuration,
    refundableQuantity: refundableQuantityOf(subscription, now),
    scheduledNextTermInstructions: subscription.scheduledNextTermInstructions ?? null,
    isMicrosoftProduct: true,
    partnerId: subscription.partnerId,
    contractType: 'subscription',
    publisherName: 'Microsoft Corporation',
    actions: cancellable ? ['edit', 'cancel'] : subscription.status === 'active' ? ['edit'] : [],
    ...(subscription.suspensionReasons ? { suspensionReasons: subscription.suspensionReasons } : {}),
    links: {
      offer: link(`/v1/offers/${subscription.offerId}`),
      ...(sku && product
        ? {
            product: link(`${product}?country=${customer.address.country}`),
            sku: link(`${product}/skus/${sku.skuCode}?country=${customer.address.country}`),
            availability: link(`${product}/skus/${sku.skuCode}/availabilities/${sku.availabilityId}?country=${customer.address.country}`),
          }
        : {}),
      self: link(`/customers/${customer.id}/subscriptions/${subscription.id}`),
    },
    orderId: subscription.orderId,
    attributes: { etag: subscription.etag, objectType: 'Subscription' },
  };
}

// license-resources.md: totalUnits = active + warning, availableUnits = total − consumed (negative when
// more licences are assigned than bought).
// get-subscription-transitions (transitionEligibilities): the catalogue items a subscription may move to. The
// emulator's catalogue has no upgrade paths, so a scheduled change may keep the same product (a new quantity or
// term at renewal); immediate transitions list nothing. Assumed: not eligible without auto-renew (the documented
// prerequisite of scheduled changes), with error code 1 (SubscriptionNotActive) when the subscription is not active.
export function transitionEligibilityResource(subscription: Subscription, sku: Sku | undefined): Record<string, unknown> {
  const errors =
    subscription.status !== 'active'
      ? [{ code: 1, description: 'Subscription is not active.' }]
      : !subscription.autoRenewEnabled
        ? [{ code: 0, description: 'Scheduled changes need auto-renew to be enabled on the subscription.' }]
        : [];
  return {
    catalogItemId: subscription.offerId,
    title: sku?.productName ?? subscription.offerName,
    description: sku?.productName ?? subscription.offerName,
    quantity: subscription.quantity,
    eligibilities: [{ isEligible: errors.length === 0, transitionType: 'transition_only', errors }],
    attributes: { objectType: 'TransitionEligibility' },
  };
}

export function subscribedSkuResource(subscribed: SubscribedSku, sku: Sku | undefined): Record<string, unknown> {
  const units = subscribed.prepaidUnits;
  const totalUnits = units.enabled + units.warning;
  const planStatus =
    subscribed.capabilityStatus === 'Enabled' || subscribed.capabilityStatus === 'Warning' ? 'Enabled' : subscribed.capabilityStatus;
  return {
    availableUnits: totalUnits - subscribed.consumedUnits,
    activeUnits: units.enabled,
    consumedUnits: subscribed.consumedUnits,
    suspendedUnits: units.suspended,
    totalUnits,
    warningUnits: units.warning,
    productSku: {
      id: subscribed.skuId,
      name: sku?.productName ?? subscribed.skuId,
      skuPartNumber: sku?.skuPartNumber ?? 'UNKNOWN',
      targetType: 'User',
      licenseGroupId: 'group1',
    },
    servicePlans: (sku?.servicePlans ?? []).map((plan) => ({
      displayName: plan.displayName,
      serviceName: plan.serviceName,
      id: plan.id,
      capabilityStatus: planStatus,
      targetType: plan.appliesTo === 'Company' ? 'Tenant' : 'User',
    })),
    capabilityStatus: subscribed.capabilityStatus,
    attributes: { objectType: 'SubscribedSku' },
  };
}

export function invoiceResource(invoice: Invoice): Record<string, unknown> {
  const lineItems = invoice.billingProvider === 'one_time' ? 'OneTime' : 'Office';
  return {
    id: invoice.id,
    invoiceDate: invoice.invoiceDate,
    totalCharges: invoice.totalCharges,
    paidAmount: invoice.paidAmount,
    currencyCode: invoice.currencyCode,
    currencySymbol: invoice.currencySymbol,
    pdfDownloadLink: `/invoices/${invoice.id}/documents/statement`,
    taxReceipts: [
      {
        id: invoice.id.replace(/\D/g, ''),
        taxReceiptPdfDownloadLink: `/invoices/${invoice.id}/receipts/${invoice.id.replace(/\D/g, '')}/documents/statement`,
      },
    ],
    invoiceDetails: [
      {
        invoiceLineItemType: 'billing_line_items',
        billingProvider: invoice.billingProvider,
        links: { self: link(`/invoices/${invoice.invoiceType}-${invoice.id}/lineitems/${lineItems}/BillingLineItems`) },
        attributes: { objectType: 'InvoiceDetail' },
      },
    ],
    documentType: 'invoice',
    invoiceType: invoice.invoiceType,
    links: { self: link(`/invoices/${invoice.invoiceType}-${invoice.id}`) },
    attributes: { objectType: 'Invoice' },
  };
}

export function partnerRelationshipResource(
  other: Tenant,
  relationship: IndirectRelationship,
  type: 'is_indirect_cloud_solution_provider_of' | 'is_indirect_reseller_of',
): Record<string, unknown> {
  return {
    id: other.id,
    name: other.displayName,
    relationshipType: type,
    state: 'Active',
    mpnId: other.mpnId ?? '',
    location: relationship.location,
    attributes: { objectType: 'PartnerRelationship' },
  };
}

export function organizationProfileResource(partner: Tenant): Record<string, unknown> {
  const address = partner.address;
  return {
    id: guidFromName(`organization-profile:${partner.id}`),
    companyName: partner.displayName,
    defaultAddress: address ? { ...address } : {},
    tenantId: partner.id,
    domain: partner.defaultDomain,
    email: partner.email ?? `admin@${partner.defaultDomain}`,
    language: 'en',
    culture: 'en-US',
    profileType: 'OrganizationProfile',
    links: { self: link('/profiles/organization') },
    attributes: { etag: etagFor(`organization-profile:${partner.id}`), objectType: 'OrganizationProfile' },
  };
}

export function mpnProfileResource(partner: Tenant): Record<string, unknown> {
  return {
    partnerName: partner.displayName,
    mpnId: partner.mpnId ?? '',
    profileType: 'MpnProfile',
    links: { self: link('/profiles/mpn') },
    attributes: { objectType: 'MpnProfile' },
  };
}
