import { DelegatedAdmin } from './delegated-admin';

const account = {
  partnerTenantId: 'aaaaaaaa-0000-0000-0000-000000000001',
  partnerDirectoryName: 'Contoso Partners',
  objectId: 'bbbbbbbb-0000-0000-0000-000000000001',
  userPrincipalName: 's365@contoso-partners.example',
  displayName: 'Sync 365 Service Account',
};
const admin = { userId: 'cccccccc-0000-0000-0000-000000000001', name: 'Contoso Admin' };

describe('a delegated admin', () => {
  const granted = () =>
    DelegatedAdmin.grant({ id: 'da-1', organizationId: 'org-1', account, grantedBy: admin, now: new Date('2026-11-01T00:00:00Z') });

  it('starts active, verified, with its Direct CSP status unknown', () => {
    expect(granted()).toMatchObject({
      status: 'active',
      mfaVerified: true,
      adminAgentVerified: true,
      directCsp: 'unknown',
      grantedByName: 'Contoso Admin',
    });
  });

  it('needs re-consent with the reason when Microsoft refuses its token, and says whether that is news', () => {
    const da = granted();
    expect(da.needsReconsent('expired')).toBe(true);
    expect(da.needsReconsent('expired')).toBe(false);
    expect(da).toMatchObject({ status: 'needs_reconsent', statusReason: 'expired' });
  });

  it('is repaired in place by a re-grant, keeping its id and creation time', () => {
    const da = granted();
    da.needsReconsent('revoked');
    da.regrant(account, { userId: 'dddddddd-0000-0000-0000-000000000001', name: 'Another Admin' }, new Date('2026-11-20T00:00:00Z'));
    expect(da).toMatchObject({
      id: 'da-1',
      status: 'active',
      statusReason: null,
      grantedByName: 'Another Admin',
      createdAt: new Date('2026-11-01T00:00:00Z'),
      grantedAt: new Date('2026-11-20T00:00:00Z'),
    });
  });

  it('recognises the same account by directory and object id, not by name', () => {
    const da = granted();
    expect(da.isSameAccount({ partnerTenantId: account.partnerTenantId.toUpperCase(), objectId: account.objectId })).toBe(true);
    expect(da.isSameAccount({ partnerTenantId: account.partnerTenantId, objectId: 'bbbbbbbb-0000-0000-0000-000000000002' })).toBe(false);
  });

  it('fails while Partner Center refuses the account and recovers when it accepts it again', () => {
    const da = granted();
    expect(da.fail('no Admin Agent role', new Date('2026-11-02T00:00:00Z'))).toBe(true);
    expect(da).toMatchObject({ status: 'failed', statusReason: 'no Admin Agent role' });
    expect(da.recover()).toBe(true);
    expect(da).toMatchObject({ status: 'active', statusReason: null });
  });

  it('keeps Needs re-consent when an import also fails: only a person can repair the consent', () => {
    const da = granted();
    da.needsReconsent('expired');
    expect(da.fail('refused', new Date('2026-11-02T00:00:00Z'))).toBe(false);
    expect(da.recover()).toBe(false);
    expect(da.status).toBe('needs_reconsent');
  });

  it('is not failed by work that began before its latest grant', () => {
    const da = granted();
    expect(da.fail('refused by an import that started before the grant', new Date('2026-10-31T00:00:00Z'))).toBe(false);
    expect(da.status).toBe('active');
  });
});
