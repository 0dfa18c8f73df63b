import type { GraphCompanySubscription } from '../../../../../libs/microsoft/src';
import { toDirectorySubscriptionSnapshot } from './directory-subscription.mapper';
import { UnexpectedWireShapeError } from './wire-value.mapper';

// The item of Microsoft's own example response (learn.microsoft.com/graph/api/directory-list-subscriptions).
const MICROSOFT_SAMPLE: GraphCompanySubscription = {
  createdDateTime: '2023-01-01T00:00:00Z',
  commerceSubscriptionId: 'f9c1ea2d-2c6e-4717-8c3b-7130812d70ba',
  id: '860697e3-b0aa-4196-a6c6-7ec361ed58f7',
  isTrial: false,
  nextLifecycleDateTime: '2023-02-01T00:00:00Z',
  serviceStatus: [
    {
      appliesTo: 'User',
      provisioningStatus: 'Success',
      servicePlanId: '8b8269e5-f841-416c-ab3a-f5dfb9737986',
      servicePlanName: 'MyPlanName',
    },
  ],
  skuId: '0816ccb9-3785-4d19-bf78-6c53e2106509',
  skuPartNumber: 'MyPartNumber',
  status: 'Enabled',
  totalLicenses: 25,
  ownerId: 'fe04f19f-d924-42b7-9dee-edf4e3fab7f6',
  ownerTenantId: '331af819-4e0b-49f7-a6bf-14e1165ad3a0',
  ownerType: 'User',
};

describe('directory subscription mapper (Graph companySubscription → DirectorySubscriptionSnapshot)', () => {
  it("maps Microsoft's sample: ids, SKU, status, licences and dates", () => {
    expect(toDirectorySubscriptionSnapshot(MICROSOFT_SAMPLE)).toEqual({
      id: '860697e3-b0aa-4196-a6c6-7ec361ed58f7',
      commerceSubscriptionId: 'f9c1ea2d-2c6e-4717-8c3b-7130812d70ba',
      skuId: '0816ccb9-3785-4d19-bf78-6c53e2106509',
      skuPartNumber: 'MyPartNumber',
      status: 'Enabled',
      totalLicenses: 25,
      isTrial: false,
      createdDateTime: '2023-01-01T00:00:00.000Z',
      nextLifecycleDateTime: '2023-02-01T00:00:00.000Z',
      // Who sold it needs the partner's own tenant id to compare with: not given here, so unknown.
      ownerTenantId: '331af819-4e0b-49f7-a6bf-14e1165ad3a0',
      soldByYou: null,
    });
  });

  it("decides who sold it from ownerTenantId: the partner's own tenant, another partner, or Microsoft directly (null)", () => {
    const partner = '331AF819-4E0B-49F7-A6BF-14E1165AD3A0';
    expect(toDirectorySubscriptionSnapshot(MICROSOFT_SAMPLE, partner)).toMatchObject({
      ownerTenantId: '331af819-4e0b-49f7-a6bf-14e1165ad3a0',
      soldByYou: true,
    });
    expect(toDirectorySubscriptionSnapshot(MICROSOFT_SAMPLE, 'a1b2c3d4-0000-4000-8000-000000000009')).toMatchObject({ soldByYou: false });
    expect(
      toDirectorySubscriptionSnapshot({ ...MICROSOFT_SAMPLE, ownerTenantId: null } as unknown as GraphCompanySubscription, partner),
    ).toMatchObject({ ownerTenantId: null, soldByYou: false });
    // Not sent at all: Graph said nothing about it, so the Partner Center match decides later.
    const { ownerTenantId: _omitted, ...withoutOwner } = MICROSOFT_SAMPLE;
    expect(toDirectorySubscriptionSnapshot(withoutOwner as GraphCompanySubscription, partner)).toMatchObject({
      ownerTenantId: null,
      soldByYou: null,
    });
  });

  it('lower-cases the SKU id but keeps the commerce subscription id as Graph sent it', () => {
    const snapshot = toDirectorySubscriptionSnapshot({
      ...MICROSOFT_SAMPLE,
      skuId: 'C5928F49-12BA-48F7-ADA3-0D743A3601D5',
      commerceSubscriptionId: 'F9C1EA2D-2C6E-4717-8C3B-7130812D70BA',
    });

    expect(snapshot).toMatchObject({
      skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
      commerceSubscriptionId: 'F9C1EA2D-2C6E-4717-8C3B-7130812D70BA',
    });
  });

  it('reads what Graph left out as unknown: no commerce id, no status, no licences, no dates, not a trial', () => {
    const snapshot = toDirectorySubscriptionSnapshot({
      id: 'a0a0a0a0-0000-4000-8000-000000000001',
      skuId: '0816ccb9-3785-4d19-bf78-6c53e2106509',
      nextLifecycleDateTime: null,
    });

    expect(snapshot).toEqual({
      id: 'a0a0a0a0-0000-4000-8000-000000000001',
      commerceSubscriptionId: null,
      skuId: '0816ccb9-3785-4d19-bf78-6c53e2106509',
      skuPartNumber: '',
      status: 'Unknown',
      totalLicenses: 0,
      isTrial: false,
      createdDateTime: null,
      nextLifecycleDateTime: null,
      ownerTenantId: null,
      soldByYou: null,
    });
  });

  it('reads Graph dates with seven fractional digits and treats a blank commerce id as none', () => {
    const snapshot = toDirectorySubscriptionSnapshot({
      ...MICROSOFT_SAMPLE,
      commerceSubscriptionId: '  ',
      createdDateTime: '2024-03-05T10:11:12.1234567Z',
    });

    expect(snapshot).toMatchObject({ commerceSubscriptionId: null, createdDateTime: '2024-03-05T10:11:12.123Z' });
  });

  it('refuses a subscription without an id or without a SKU id instead of guessing', () => {
    expect(() => toDirectorySubscriptionSnapshot({ ...MICROSOFT_SAMPLE, id: '' })).toThrow(
      new UnexpectedWireShapeError('a directory subscription has no id'),
    );
    expect(() => toDirectorySubscriptionSnapshot({ ...MICROSOFT_SAMPLE, skuId: undefined })).toThrow(
      new UnexpectedWireShapeError('a directory subscription has no SKU id'),
    );
  });
});
