import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { SignInStaffUserUseCase } from '../../application/sign-in-staff-user.use-case';
import { FixedClock } from '../../../../shared/testing/fakes';
import { FakeDirectoryProfile } from '../testing/in-memory-accounts';
import { RecordingAuditTrail } from '../testing/in-memory-api-keys';
import { StaffInvitation } from '../../domain/staff-invitation';
import { OrganizationSchema, StaffInvitationSchema, StaffUserSchema } from './accounts.schema';
import {
  MikroOrmOrganizationRepository,
  MikroOrmStaffInvitationRepository,
  MikroOrmStaffUserRepository,
} from './mikro-orm-accounts.repository';

const contosoAdmin = {
  tenantId: 'aaaaaaaa-0000-0000-0000-00000000000a',
  objectId: 'bbbbbbbb-0000-0000-0000-00000000000a',
  userPrincipalName: 'admin@contoso-partners.example',
  displayName: 'Contoso Admin',
};
const fabrikamAdmin = {
  tenantId: 'aaaaaaaa-0000-0000-0000-00000000000b',
  objectId: 'bbbbbbbb-0000-0000-0000-00000000000b',
  userPrincipalName: 'admin@fabrikam-reseller.example',
  displayName: 'Fabrikam Admin',
};

describe('accounts persistence on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let organizations: MikroOrmOrganizationRepository;
  let users: MikroOrmStaffUserRepository;
  let invitations: MikroOrmStaffInvitationRepository;
  let signIn: SignInStaffUserUseCase;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(
      ormOptions(db.url, { entities: [OrganizationSchema, StaffUserSchema, StaffInvitationSchema], allowGlobalContext: true }),
    );
    organizations = new MikroOrmOrganizationRepository(orm.em);
    users = new MikroOrmStaffUserRepository(orm.em);
    invitations = new MikroOrmStaffInvitationRepository(orm.em);
    const clock = new FixedClock(new Date('2026-11-26T10:00:00Z'));
    signIn = new SignInStaffUserUseCase(
      organizations,
      users,
      new FakeDirectoryProfile(async () => 'Directory name'),
      invitations,
      new RecordingAuditTrail(),
      new MikroOrmTransaction(orm.em),
      clock,
    );
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('stores the organization and user of a first sign-in and finds them again', async () => {
    const result = await signIn.execute(contosoAdmin, 'token');
    orm.em.clear();
    expect(await organizations.findByEntraTenantId(contosoAdmin.tenantId)).toMatchObject({
      id: result.organizationId,
      name: 'Directory name',
    });
    expect(await users.findById(result.organizationId, result.userId)).toMatchObject({
      userPrincipalName: contosoAdmin.userPrincipalName,
      lastSignInAt: new Date('2026-11-26T10:00:00Z'),
    });
  });

  it('never returns a user of organization B when asked within organization A', async () => {
    const a = await signIn.execute(contosoAdmin, 'token');
    const b = await signIn.execute(fabrikamAdmin, 'token');
    orm.em.clear();
    expect(a.organizationId).not.toBe(b.organizationId);
    expect(await users.findById(a.organizationId, b.userId)).toBeNull();
    expect(await users.findByEntraObjectId(a.organizationId, fabrikamAdmin.objectId)).toBeNull();
    expect((await users.listByOrganization(a.organizationId)).map((u) => u.userPrincipalName)).toEqual([contosoAdmin.userPrincipalName]);
  });

  it('creates one organization when two first users of a directory sign in at the same moment', async () => {
    const tenantId = 'aaaaaaaa-0000-0000-0000-00000000000c';
    const results = await Promise.allSettled(
      ['1', '2', '3'].map((n) =>
        signIn.execute(
          {
            tenantId,
            objectId: `bbbbbbbb-0000-0000-0000-00000000000${n}`,
            userPrincipalName: `u${n}@tailspin.example`,
            displayName: `User ${n}`,
          },
          'token',
        ),
      ),
    );
    const { count } = await orm.em
      .getConnection()
      .execute<{ count: string }>('select count(*)::text as count from organizations where entra_tenant_id = ?', [tenantId], 'get');
    expect(count).toBe('1');
    // The winner of the race is the Owner; the others find the organization made and, not invited, are refused.
    const joined = results.filter((r) => r.status === 'fulfilled');
    expect(joined).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      'ACCOUNTS.NOT_INVITED_FORBIDDEN',
      'ACCOUNTS.NOT_INVITED_FORBIDDEN',
    ]);
    const owner = await users.findById(
      (joined[0] as PromiseFulfilledResult<{ organizationId: string; userId: string }>).value.organizationId,
      (joined[0] as PromiseFulfilledResult<{ userId: string }>).value.userId,
    );
    expect(owner?.role).toBe('owner');
  });

  it('stores invitations and finds an open one by address within its organization only', async () => {
    const a = await signIn.execute(contosoAdmin, 'token');
    const b = await signIn.execute(fabrikamAdmin, 'token');
    const now = new Date('2026-11-26T10:00:00Z');
    const invitation = StaffInvitation.create({
      id: '0c0c0c0c-0000-4000-8000-000000000001',
      organizationId: a.organizationId,
      email: 'Sales@Contoso-Partners.example',
      role: 'viewer',
      invitedBy: { userId: a.userId, name: 'Contoso Admin' },
      now,
    });
    invitations.add(invitation);
    await orm.em.flush();
    orm.em.clear();
    expect(await invitations.findOpenFor(a.organizationId, ['sales@contoso-partners.example'], now)).toMatchObject({
      id: invitation.id,
      role: 'viewer',
    });
    expect(await invitations.findOpenFor(b.organizationId, ['sales@contoso-partners.example'], now)).toBeNull();
    expect(await invitations.findById(b.organizationId, invitation.id)).toBeNull();
    // Past its 14 days it is no longer open.
    expect(
      await invitations.findOpenFor(a.organizationId, ['sales@contoso-partners.example'], new Date('2026-12-11T10:00:00Z')),
    ).toBeNull();
  });
});
