import {
  checkManagerMayChange,
  isSignedInAs,
  mayManageUsers,
  mayRequestChanges,
  userPrincipalNameOf,
  type PortalUser,
} from './portal-user';
import { InvalidPortalUserError, PortalSelfChangeForbiddenError } from './portal.errors';

const amelia: PortalUser = {
  id: 'pu-1',
  organizationId: 'org-1',
  tenantId: 'tenant-1',
  userPrincipalName: 'Amelia.Ortiz@adatum.example',
  objectId: null,
  displayName: null,
  role: 'modify',
  addedBy: { kind: 'partner', name: 'Contoso Admin' },
  addedAt: new Date('2026-11-27T10:00:00Z'),
  lastSignInAt: null,
};

describe('a portal user', () => {
  it('is recognised by sign-in name (any case) until the first sign-in binds their Microsoft object id', () => {
    expect(isSignedInAs(amelia, { objectId: 'AAAA-1', signInName: 'amelia.ortiz@ADATUM.example' })).toBe(true);
    const bound = { ...amelia, objectId: 'aaaa-1' };
    // A recycled sign-in name of someone else does not get in.
    expect(isSignedInAs(bound, { objectId: 'bbbb-2', signInName: 'amelia.ortiz@adatum.example' })).toBe(false);
    expect(isSignedInAs(bound, { objectId: 'aaaa-1', signInName: 'amelia.renamed@adatum.example' })).toBe(true);
  });

  it('is never recognised by a name that is not the directory’s sign-in name (an unverified email claim)', () => {
    expect(isSignedInAs(amelia, { objectId: 'cccc-3' })).toBe(false);
    expect(isSignedInAs({ ...amelia, objectId: 'cccc-3' }, { objectId: 'CCCC-3' })).toBe(true);
  });

  it('may request changes with Modify or Admin, and manage users only with Admin', () => {
    expect([mayRequestChanges('view'), mayRequestChanges('modify'), mayRequestChanges('admin')]).toEqual([false, true, true]);
    expect([mayManageUsers('view'), mayManageUsers('modify'), mayManageUsers('admin')]).toEqual([false, false, true]);
  });

  it('is added by a sign-in name that looks like one', () => {
    expect(userPrincipalNameOf('  noah.patel@adatum.example ')).toBe('noah.patel@adatum.example');
    expect(() => userPrincipalNameOf('noah')).toThrow(InvalidPortalUserError);
    expect(() => userPrincipalNameOf(42)).toThrow(InvalidPortalUserError);
  });

  it('cannot change their own role or remove themselves as a portal Admin; the partner can change anyone', () => {
    expect(() => checkManagerMayChange({ kind: 'portal', portalUserId: 'pu-1', partnerName: 'Contoso Partners' }, amelia)).toThrow(
      PortalSelfChangeForbiddenError,
    );
    expect(() => checkManagerMayChange({ kind: 'portal', portalUserId: 'pu-2', partnerName: 'Contoso Partners' }, amelia)).not.toThrow();
    expect(() => checkManagerMayChange({ kind: 'partner' }, amelia)).not.toThrow();
  });
});
