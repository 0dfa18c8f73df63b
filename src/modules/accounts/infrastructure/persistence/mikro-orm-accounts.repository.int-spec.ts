import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { SignInStaffUserUseCase } from '../../application/sign-in-staff-user.use-case';
import { FixedClock } from '../../../../shared/testing/fakes';
import { FakeDirectoryProfile } from '../testing/in-memory-accounts';
import { OrganizationSchema, StaffUserSchema } from './accounts.schema';
import { MikroOrmOrganizationRepository, MikroOrmStaffUserRepository } from './mikro-orm-accounts.repository';

const contosoAdmin = { tenantId: 'aaaaaaaa-0000-0000-0000-00000000000a', objectId: 'bbbbbbbb-0000-0000-0000-00000000000a', userPrincipalName: 'admin@contoso-partners.example', displayName: 'Contoso Admin' };
const fabrikamAdmin = { tenantId: 'aaaaaaaa-0000-0000-0000-00000000000b', objectId: 'bbbbbbbb-0000-0000-0000-00000000000b', userPrincipalName: 'admin@fabrikam-reseller.example', displayName: 'Fabrikam Admin' };

describe('accounts persistence on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let organizations: MikroOrmOrganizationRepository;
  let users: MikroOrmStaffUserRepository;
  let signIn: SignInStaffUserUseCase;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { entities: [OrganizationSchema, StaffUserSchema], allowGlobalContext: true }));
    organizations = new MikroOrmOrganizationRepository(orm.em);
    users = new MikroOrmStaffUserRepository(orm.em);
    signIn = new SignInStaffUserUseCase(organizations, users, new FakeDirectoryProfile(async () => 'Directory name'), new MikroOrmTransaction(orm.em), new FixedClock(new Date('2026-11-26T10:00:00Z')));
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('stores the organization and user of a first sign-in and finds them again', async () => {
    const result = await signIn.execute(contosoAdmin, 'token');
    orm.em.clear();
    expect(await organizations.findByEntraTenantId(contosoAdmin.tenantId)).toMatchObject({ id: result.organizationId, name: 'Directory name' });
    expect(await users.findById(result.organizationId, result.userId)).toMatchObject({ userPrincipalName: contosoAdmin.userPrincipalName, lastSignInAt: new Date('2026-11-26T10:00:00Z') });
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
    const results = await Promise.all(
      ['1', '2', '3'].map((n) =>
        signIn.execute({ tenantId, objectId: `bbbbbbbb-0000-0000-0000-00000000000${n}`, userPrincipalName: `u${n}@tailspin.example`, displayName: `User ${n}` }, 'token'),
      ),
    );
    expect(new Set(results.map((r) => r.organizationId)).size).toBe(1);
    const { count } = await orm.em.getConnection().execute<{ count: string }>('select count(*)::text as count from organizations where entra_tenant_id = ?', [tenantId], 'get');
    expect(count).toBe('1');
  });
});
