import { quantityNow } from './applied-changes';
import type { ChangeRequest } from './change-request';
import { requestSummary } from './request-summary';

function request(overrides: Partial<ChangeRequest>): ChangeRequest {
  return {
    id: 'r',
    organizationId: 'org-1',
    tenantId: 't',
    tenantName: 'Adatum Corporation',
    subscriptionId: 's',
    subscriptionName: 'Power BI Pro',
    kind: 'increase',
    fromQuantity: 10,
    toQuantity: 12,
    status: 'pending',
    requestedBy: { portalUserId: 'p', name: 'Amelia Ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
    requestedAt: new Date('2026-11-26T09:00:00Z'),
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    result: null,
    appliedQuantity: null,
    effectiveDate: null,
    completedAt: null,
    pendingSince: null,
    updatedAt: new Date('2026-11-26T09:00:00Z'),
    ...overrides,
  };
}

describe('the email-ready summary of the licence portal', () => {
  it('lists what waits and what was decided in the period, with outcomes and comments', () => {
    const summary = requestSummary(
      [
        request({ id: 'a' }),
        request({
          id: 'b',
          subscriptionName: 'Microsoft 365 E3',
          kind: 'decrease',
          fromQuantity: 50,
          toQuantity: 48,
          status: 'failed',
          decidedBy: { userId: 'u', name: 'Contoso Admin' },
          decidedAt: new Date('2026-11-26T10:00:00Z'),
          result: 'Partner Center failed to answer the change (HTTP 500).',
        }),
        request({
          id: 'c',
          status: 'rejected',
          decidedBy: { userId: 'u', name: 'Contoso Admin' },
          decidedAt: new Date('2026-11-26T11:00:00Z'),
          decisionComment: 'Not this month.',
        }),
        // Decided before the period: not listed.
        request({
          id: 'd',
          status: 'applied',
          decidedBy: { userId: 'u', name: 'Contoso Admin' },
          decidedAt: new Date('2026-11-01T10:00:00Z'),
          completedAt: new Date('2026-11-01T10:00:05Z'),
        }),
      ],
      { partnerName: 'Contoso Partners', since: new Date('2026-11-20T00:00:00Z'), until: new Date('2026-11-27T12:00:00Z') },
    );
    expect(summary.subject).toBe('Licence portal: 1 request waiting, 2 decisions (20 Nov 2026 – 27 Nov 2026 UTC)');
    expect(summary.waiting).toEqual([
      'Adatum Corporation — Power BI Pro: add seats, 10 → 12. Requested by Amelia Ortiz on 26 Nov 2026 UTC.',
    ]);
    expect(summary.decided).toEqual([
      'Adatum Corporation — Microsoft 365 E3: remove seats now, 50 → 48. Failed (approved by Contoso Admin on 26 Nov 2026 UTC). Partner Center failed to answer the change (HTTP 500).',
      'Adatum Corporation — Power BI Pro: add seats, 10 → 12. Rejected by Contoso Admin on 26 Nov 2026 UTC. Comment: “Not this month.”',
    ]);
    expect(summary.text).toContain('Licence portal summary for Contoso Partners, 20 Nov 2026 – 27 Nov 2026 UTC');
    expect(summary.text).toContain('- Adatum Corporation — Power BI Pro: add seats, 10 → 12. Requested by Amelia Ortiz');
  });

  it('says so when nothing happened', () => {
    const summary = requestSummary([], {
      partnerName: 'Contoso Partners',
      since: new Date('2026-11-20T00:00:00Z'),
      until: new Date('2026-11-27T00:00:00Z'),
    });
    expect(summary.text).toContain('- Nothing is waiting.');
    expect(summary.text).toContain('- Nothing was decided in this period.');
  });
});

describe('quantities changed through the portal since the last read', () => {
  const subscription = { id: 'SUB-1', quantity: 10, readAt: new Date('2026-11-27T08:00:00Z') };

  it('shows the quantity applied after the read, the latest one winning', () => {
    expect(
      quantityNow(subscription, [
        { subscriptionId: 'sub-1', appliedQuantity: 12, completedAt: new Date('2026-11-27T09:00:00Z') },
        { subscriptionId: 'sub-1', appliedQuantity: 14, completedAt: new Date('2026-11-27T10:00:00Z') },
        { subscriptionId: 'sub-2', appliedQuantity: 99, completedAt: new Date('2026-11-27T10:00:00Z') },
      ]),
    ).toBe(14);
  });

  it('trusts the read once it is newer than the change', () => {
    expect(
      quantityNow(subscription, [{ subscriptionId: 'sub-1', appliedQuantity: 12, completedAt: new Date('2026-11-27T07:00:00Z') }]),
    ).toBe(10);
  });
});
