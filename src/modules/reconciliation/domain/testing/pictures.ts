import type { SkuPicture, SubscriptionPicture, TenantPicture } from '../picture';

// Pictures for reconciliation tests: a read tenant with one Business Premium SKU sold through one annual
// subscription; tests override what the scenario is about.
export const TENANTS = {
  adatum: '6a2f51c8-1d4e-4b0a-9f3e-2c7d8e9f0a1b',
  fabrikam: '0c3e52d9-2e5f-4c1b-8a4f-3d8e9f0a1b2c',
  contoso: '1d4f63ea-3f60-4d2c-9b50-4e9f0a1b2c3d',
} as const;

export const SKUS = {
  businessPremium: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46',
  e3: '05e9a617-0261-4cee-bb44-138d3ef5d965',
  visio: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
  exploratory: '710779e8-3d4a-4c88-adb9-386c958d1fdf',
} as const;

export function skuPicture(overrides: Partial<SkuPicture> = {}): SkuPicture {
  const purchased = overrides.purchased ?? 25;
  const assigned = overrides.assigned ?? 25;
  return {
    skuId: SKUS.businessPremium,
    skuPartNumber: 'SPB',
    productName: 'Microsoft 365 Business Premium',
    suspended: 0,
    warning: 0,
    soldByYou: true,
    free: false,
    ...overrides,
    purchased,
    assigned,
    available: overrides.available ?? Math.max(0, purchased - assigned),
  };
}

export function subscriptionPicture(overrides: Partial<SubscriptionPicture> = {}): SubscriptionPicture {
  return {
    subscriptionId: 'a4c1340b-6911-4758-bba3-0c4c6007d161',
    skuId: SKUS.businessPremium,
    offerName: 'Microsoft 365 Business Premium',
    quantity: 25,
    tenantUnits: 25,
    // New commerce's usual: an annual term, billed monthly.
    billingCycle: 'monthly',
    termDuration: 'P1Y',
    status: 'active',
    autoRenewEnabled: true,
    isTrial: false,
    commitmentEndDate: new Date('2027-01-14T00:00:00Z'),
    cancellationAllowedUntilDate: new Date('2026-01-22T00:00:00Z'),
    ...overrides,
  };
}

export function tenantPicture(overrides: Partial<TenantPicture> = {}): TenantPicture {
  return {
    tenantId: TENANTS.adatum,
    companyName: 'Adatum Corporation',
    read: true,
    failureReason: null,
    skus: [skuPicture()],
    subscriptions: [subscriptionPicture()],
    ...overrides,
  };
}
