import { approve, finish, isDue, reject, startScheduled, type ChangeRequest } from './change-request';
import { ChangeRequestDecidedError, RejectionCommentRequiredError } from './portal.errors';

const T0 = new Date('2026-11-27T10:00:00Z');
const LATER = new Date('2026-11-27T11:00:00Z');
const partner = { userId: 'staff-1', name: 'Contoso Admin' };

function request(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    id: 'req-1',
    organizationId: 'org-1',
    tenantId: 'tenant-1',
    tenantName: 'Adatum Corporation',
    subscriptionId: 'sub-1',
    subscriptionName: 'Power BI Pro',
    kind: 'increase',
    fromQuantity: 10,
    toQuantity: 12,
    status: 'pending',
    requestedBy: { portalUserId: 'pu-1', name: 'Amelia Ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
    requestedAt: T0,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    result: null,
    appliedQuantity: null,
    effectiveDate: null,
    completedAt: null,
    pendingSince: null,
    updatedAt: T0,
    ...overrides,
  };
}

describe('a licence change request', () => {
  it('is being applied once approved, with who approved and when', () => {
    const approved = approve(request(), partner, '  fine  ', LATER);
    expect(approved).toMatchObject({
      status: 'applying',
      decidedBy: partner,
      decidedAt: LATER,
      decisionComment: 'fine',
      completedAt: null,
    });
  });

  it('is scheduled, not applied, when it asks for fewer seats at renewal', () => {
    const approved = approve(
      request({ kind: 'decrease_at_renewal', toQuantity: 8, effectiveDate: new Date('2027-05-11T00:00:00Z') }),
      partner,
      null,
      LATER,
    );
    expect(approved.status).toBe('scheduled');
    expect(approved.result).toBe('Approved: the seats are removed on 11 May 2027 UTC, when the subscription renews.');
  });

  it('cannot be decided twice', () => {
    const applying = approve(request(), partner, null, LATER);
    expect(() => approve(applying, partner, null, LATER)).toThrow(ChangeRequestDecidedError);
    expect(() => reject(applying, partner, 'no', LATER)).toThrow(ChangeRequestDecidedError);
  });

  it('needs a comment to be rejected, which the customer reads', () => {
    expect(() => reject(request(), partner, '   ', LATER)).toThrow(RejectionCommentRequiredError);
    expect(reject(request(), partner, 'Budget is frozen until January.', LATER)).toMatchObject({
      status: 'rejected',
      decisionComment: 'Budget is frozen until January.',
      completedAt: LATER,
    });
  });

  it('can be called off while scheduled', () => {
    const scheduled = approve(
      request({ kind: 'decrease_at_renewal', effectiveDate: new Date('2027-05-11T00:00:00Z') }),
      partner,
      null,
      LATER,
    );
    expect(reject(scheduled, partner, 'Customer changed their mind.', LATER)).toMatchObject({
      status: 'rejected',
      result: 'The scheduled reduction was called off.',
    });
  });

  it('records what Partner Center did: applied with the new quantity, or failed with the reason', () => {
    const applying = approve(request(), partner, null, LATER);
    expect(finish(applying, { outcome: 'applied', quantity: 12, detail: 'Partner Center changed it.' }, LATER)).toMatchObject({
      status: 'applied',
      appliedQuantity: 12,
      result: 'Partner Center changed it.',
      completedAt: LATER,
    });
    expect(finish(applying, { outcome: 'failed', reason: 'Partner Center failed.' }, LATER)).toMatchObject({
      status: 'failed',
      appliedQuantity: null,
      result: 'Partner Center failed.',
      completedAt: LATER,
    });
  });

  it('stays applying when the outcome is open, saying it will be checked', () => {
    const applying = approve(request(), partner, null, LATER);
    const open = finish(applying, { outcome: 'unknown', reason: 'No answer.' }, LATER);
    expect(open).toMatchObject({
      status: 'applying',
      completedAt: null,
      result: 'No answer. Sync 365 checks Partner Center again shortly.',
    });
  });

  it('is started on its renewal day, not before', () => {
    const scheduled = request({ kind: 'decrease_at_renewal', status: 'scheduled', effectiveDate: new Date('2027-05-11T00:00:00Z') });
    expect(isDue(scheduled, new Date('2027-05-10T23:59:00Z'))).toBe(false);
    expect(() => startScheduled(scheduled, new Date('2027-05-10T23:59:00Z'))).toThrow(ChangeRequestDecidedError);
    expect(startScheduled(scheduled, new Date('2027-05-11T02:00:00Z')).status).toBe('applying');
  });
});
