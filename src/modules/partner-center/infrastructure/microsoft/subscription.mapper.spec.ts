import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerCenterCollection, PartnerCenterSubscription } from '../../../../../libs/microsoft/src';
import { projectRoot } from '../../../../shared/infrastructure/project-root';
import { catalogueLink, toSubscriptionSnapshot } from './subscription.mapper';
import { UnexpectedWireShapeError } from './wire-value.mapper';

const sample: PartnerCenterCollection<PartnerCenterSubscription> = JSON.parse(
  readFileSync(join(projectRoot, 'test/fixtures/microsoft/pc-subscriptions-list.json'), 'utf8'),
);

describe('subscription mapper (Partner Center subscription → SubscriptionSnapshot)', () => {
  it("maps Microsoft's sample, reading its spaced-out dates as ISO-8601 and filling what it leaves out", () => {
    expect(sample.items.map(toSubscriptionSnapshot)).toEqual([
      {
        id: '83ef9d05-4169-4ef9-9657-0e86b1eab1de',
        offerId: '',
        offerName: '',
        friendlyName: 'nickname',
        quantity: 1,
        unitType: 'none',
        termDuration: null,
        billingCycle: 'unknown',
        status: 'active',
        autoRenewEnabled: false,
        isTrial: false,
        creationDate: '2015-11-25T06:41:12.000Z',
        effectiveStartDate: '2015-11-24T08:00:00.000Z',
        commitmentEndDate: '2016-12-12T08:00:00.000Z',
        cancellationAllowedUntilDate: null,
        // A legacy subscription says nothing of new-commerce seat windows.
        refundableQuantity: null,
        refundableUntil: null,
        scheduledQuantity: null,
        // Microsoft's sample links only its offer, no catalogue SKU.
        catalogueProductId: null,
        catalogueSkuId: null,
        catalogueName: null,
      },
    ]);
  });

  it('maps a new-commerce subscription with every field the import shows', () => {
    const snapshot = toSubscriptionSnapshot({
      id: 'a4c6d0bb-7d4e-4b5f-9d0e-2f7d1c0e5b11',
      offerId: 'CFQ7TTC0LCHC:0002:CFQ7TTC0K8TG',
      offerName: 'Microsoft 365 Business Premium',
      friendlyName: 'Microsoft 365 Business Premium',
      quantity: 12,
      unitType: 'Licenses',
      termDuration: 'P1M',
      billingCycle: 'monthly',
      status: 'active',
      autoRenewEnabled: true,
      isTrial: false,
      creationDate: '2024-01-05T10:00:00Z',
      effectiveStartDate: '2024-01-05T00:00:00Z',
      commitmentEndDateTime: '2024-02-04T00:00:00Z',
      cancellationAllowedUntilDate: '2024-01-12T00:00:00.1234567Z',
      refundOptions: [{ type: 'Full', expiresAt: '2024-01-12T00:00:00Z' }],
      // get-a-subscription-by-id.md (new commerce) and create-scheduled-changes.md.
      refundableQuantity: {
        totalQuantity: 3,
        details: [
          { quantity: 1, allowedUntilDateTime: '2024-01-20T00:00:00Z' },
          { quantity: 2, allowedUntilDateTime: '2024-01-12T00:00:00Z' },
        ],
      },
      scheduledNextTermInstructions: {
        product: { productId: 'CFQ7TTC0LCHC', skuId: '0002', availabilityId: 'CFQ7TTC0K8TG', billingCycle: 'Monthly', termDuration: 'P1M' },
        quantity: 10,
      },
      links: { sku: { uri: '/products/CFQ7TTC0LCHC/skus/0002?country=US', method: 'GET', headers: [] } },
    });

    expect(snapshot).toEqual({
      id: 'a4c6d0bb-7d4e-4b5f-9d0e-2f7d1c0e5b11',
      offerId: 'CFQ7TTC0LCHC:0002:CFQ7TTC0K8TG',
      offerName: 'Microsoft 365 Business Premium',
      friendlyName: 'Microsoft 365 Business Premium',
      quantity: 12,
      unitType: 'Licenses',
      termDuration: 'P1M',
      billingCycle: 'monthly',
      status: 'active',
      autoRenewEnabled: true,
      isTrial: false,
      creationDate: '2024-01-05T10:00:00.000Z',
      effectiveStartDate: '2024-01-05T00:00:00.000Z',
      commitmentEndDate: '2024-02-04T00:00:00.000Z',
      cancellationAllowedUntilDate: '2024-01-12T00:00:00.123Z',
      refundableQuantity: 3,
      refundableUntil: '2024-01-12T00:00:00.000Z',
      scheduledQuantity: 10,
      // links.sku names the catalogue SKU; its title is asked for by the adapter.
      catalogueProductId: 'CFQ7TTC0LCHC',
      catalogueSkuId: '0002',
      catalogueName: null,
    });
  });

  it('reads the catalogue SKU from links.sku with or without /v1, and its country', () => {
    const withV1 = {
      id: 's-1',
      links: { sku: { uri: '/v1/products/CFQ7TTC0LFSB/skus/0001?country=nl', method: 'GET', headers: [] } },
    } as PartnerCenterSubscription;
    expect(catalogueLink(withV1)).toEqual({ productId: 'CFQ7TTC0LFSB', skuId: '0001', country: 'NL' });
    expect(catalogueLink({ id: 's-2' } as PartnerCenterSubscription)).toBeUndefined();
    expect(toSubscriptionSnapshot({ id: 's-2' } as PartnerCenterSubscription)).toMatchObject({
      catalogueProductId: null,
      catalogueSkuId: null,
      catalogueName: null,
    });
  });

  it('turns unreadable dates and missing numbers into null and 0', () => {
    const snapshot = toSubscriptionSnapshot({ id: 's-1', creationDate: 'yesterday', quantity: undefined });

    expect(snapshot).toMatchObject({ quantity: 0, creationDate: null, status: 'none', billingCycle: 'unknown' });
  });

  it('refuses a subscription without an id', () => {
    expect(() => toSubscriptionSnapshot({ quantity: 3 } as PartnerCenterSubscription)).toThrow(UnexpectedWireShapeError);
  });
});
