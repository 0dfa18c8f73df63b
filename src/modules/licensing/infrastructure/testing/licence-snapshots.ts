import type { DirectorySubscriptionSnapshot, SkuLicenceSnapshot, SubscriptionSnapshot } from '../../../partner-center';

// What Partner Center reports for a customer tenant, as the partner-center module maps it; tests override fields.
export const SKU_IDS = {
  businessBasic: '3b555118-da6a-4418-894f-7df1e2096870',
  businessPremium: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46',
  copilot: '639dec6b-bb19-468b-871c-c5c441c4b0cb',
  unknown: '0b1c2d3e-0000-4000-8000-00000000beef',
  visioPlan2: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
} as const;

export function skuSnapshot(overrides: Partial<SkuLicenceSnapshot> = {}): SkuLicenceSnapshot {
  return {
    skuId: SKU_IDS.businessPremium,
    skuPartNumber: 'SPB',
    productName: 'Microsoft 365 Business Premium',
    capabilityStatus: 'Enabled',
    activeUnits: 25,
    warningUnits: 0,
    suspendedUnits: 0,
    consumedUnits: 20,
    ...overrides,
  };
}

export function subscriptionSnapshot(overrides: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot {
  return {
    id: 'a4c1340b-6911-4758-bba3-0c4c6007d161',
    offerId: 'CFQ7TTC0LCHC:0002',
    offerName: 'Microsoft 365 Business Premium',
    friendlyName: 'Business Premium (annual)',
    quantity: 25,
    unitType: 'Licenses',
    termDuration: 'P1Y',
    billingCycle: 'monthly',
    status: 'active',
    autoRenewEnabled: true,
    isTrial: false,
    creationDate: '2026-01-15T09:30:00.000Z',
    effectiveStartDate: '2026-01-15T00:00:00.000Z',
    commitmentEndDate: '2027-01-14T00:00:00.000Z',
    cancellationAllowedUntilDate: '2026-01-22T00:00:00.000Z',
    ...overrides,
  };
}

// The directory side of subscriptionSnapshot(): the same Business Premium, sold through Partner Center.
export function directorySubscriptionSnapshot(overrides: Partial<DirectorySubscriptionSnapshot> = {}): DirectorySubscriptionSnapshot {
  return {
    id: '5f0c6a52-3f5e-4a4b-9d0e-7c1b2a3d4e5f',
    commerceSubscriptionId: subscriptionSnapshot().id,
    skuId: SKU_IDS.businessPremium,
    skuPartNumber: 'SPB',
    status: 'Enabled',
    totalLicenses: 25,
    isTrial: false,
    createdDateTime: '2026-01-15T09:30:00.000Z',
    nextLifecycleDateTime: '2027-01-15T00:00:00.000Z',
    ...overrides,
  };
}

// A Visio Plan 2 the customer bought elsewhere: in its directory, not among the partner's subscriptions.
export function externalDirectorySubscriptionSnapshot(
  overrides: Partial<DirectorySubscriptionSnapshot> = {},
): DirectorySubscriptionSnapshot {
  return directorySubscriptionSnapshot({
    id: '9a8b7c6d-0000-4000-8000-00000000a15e',
    commerceSubscriptionId: 'e1e2e3e4-0000-4000-8000-0000000000ee',
    skuId: SKU_IDS.visioPlan2,
    skuPartNumber: 'VISIOCLIENT',
    totalLicenses: 5,
    ...overrides,
  });
}
