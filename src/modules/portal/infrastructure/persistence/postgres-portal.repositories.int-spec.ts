import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import type { ChangeRequest } from '../../domain/change-request';
import type { PortalUser } from '../../domain/portal-user';
import { PostgresChangeRequestRepository } from './postgres-change-requests.repository';
import { PostgresPortalUserRepository } from './postgres-portal-users.repository';

describe('the licence portal’s users and change requests on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let users: PostgresPortalUserRepository;
  let requests: PostgresChangeRequestRepository;
  let transaction: MikroOrmTransaction;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const adatum = randomUUID();
  const woodgrove = randomUUID();
  const T0 = new Date('2026-11-27T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { allowGlobalContext: true }));
    await orm.em
      .getConnection()
      .execute(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('${orgA}', '${randomUUID()}', 'A', now()), ('${orgB}', '${randomUUID()}', 'B', now())`,
      );
    users = new PostgresPortalUserRepository(orm.em);
    requests = new PostgresChangeRequestRepository(orm.em);
    transaction = new MikroOrmTransaction(orm.em);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  function user(overrides: Partial<PortalUser> = {}): PortalUser {
    return {
      id: randomUUID(),
      organizationId: orgA,
      tenantId: adatum,
      userPrincipalName: `person-${randomUUID().slice(0, 8)}@adatum.example`,
      objectId: null,
      displayName: null,
      role: 'view',
      addedBy: { kind: 'partner', name: 'Contoso Admin' },
      addedAt: T0,
      lastSignInAt: null,
      ...overrides,
    };
  }

  function request(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
    return {
      id: randomUUID(),
      organizationId: orgA,
      tenantId: adatum,
      tenantName: 'Adatum Corporation',
      subscriptionId: `SUB-${randomUUID()}`,
      subscriptionName: 'Power BI Pro',
      kind: 'increase',
      fromQuantity: 10,
      toQuantity: 12,
      status: 'pending',
      requestedBy: { portalUserId: randomUUID(), name: 'Amelia Ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
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

  const add = (r: ChangeRequest) => transaction.run(() => requests.add(r));

  describe('portal users', () => {
    it('are read back within their organization only', async () => {
      const amelia = user({ userPrincipalName: 'Amelia.Ortiz@adatum.example', role: 'modify' });
      await transaction.run(() => users.add(amelia));
      expect(await users.find(orgA, amelia.id)).toEqual(amelia);
      expect(await users.find(orgB, amelia.id)).toBeNull();
      expect(await users.find(orgA, 'not-a-guid')).toBeNull();
      expect((await users.ofTenant(orgA, adatum)).map((u) => u.id)).toContain(amelia.id);
      expect(await users.ofTenant(orgB, adatum)).toEqual([]);
    });

    it('hold one person per sign-in name and tenant, whatever the case', async () => {
      await transaction.run(() => users.add(user({ userPrincipalName: 'noah.patel@adatum.example' })));
      const twice = transaction.run(() => users.add(user({ userPrincipalName: 'NOAH.PATEL@adatum.example' })));
      await expect(twice).rejects.toMatchObject({ code: '23505' });
      // The same name in another tenant, or another organization, is another portal user.
      await transaction.run(() => users.add(user({ userPrincipalName: 'noah.patel@adatum.example', tenantId: woodgrove })));
      await transaction.run(() => users.add(user({ userPrincipalName: 'noah.patel@adatum.example', organizationId: orgB })));
    });

    it('are found for a sign-in across the organizations that switched the portal on, and keep the bound object id', async () => {
      const inA = user({ userPrincipalName: 'lee@adatum.example' });
      const inB = user({ userPrincipalName: 'lee@adatum.example', organizationId: orgB });
      await transaction.run(async () => {
        await users.add(inA);
        await users.add(inB);
      });
      const found = await users.ofTenantInOrganizations([orgA], adatum);
      expect(found.map((u) => u.organizationId)).not.toContain(orgB);
      expect(found.map((u) => u.id)).toContain(inA.id);
      expect(
        (await users.ofTenantInOrganizations([orgA, orgB], adatum)).filter((u) => u.userPrincipalName === 'lee@adatum.example'),
      ).toHaveLength(2);
      expect(await users.ofTenantInOrganizations([], adatum)).toEqual([]);

      const objectId = randomUUID();
      expect(await transaction.run(() => users.recordSignIn(orgA, inA.id, objectId, 'Lee', T0))).toBe(true);
      expect(await transaction.run(() => users.changeRole(orgA, inA.id, 'admin'))).toBe(true);
      expect(await users.find(orgA, inA.id)).toMatchObject({ objectId, displayName: 'Lee', role: 'admin', lastSignInAt: T0 });
      await transaction.run(() => users.remove(orgB, inA.id));
      expect(await users.find(orgA, inA.id)).not.toBeNull();
      await transaction.run(() => users.remove(orgA, inA.id));
      expect(await users.find(orgA, inA.id)).toBeNull();
    });

    it('record a sign-in without touching the role, bind the object id only once, and say when the user is gone', async () => {
      const ava = user({ userPrincipalName: 'ava@adatum.example', role: 'view' });
      await transaction.run(() => users.add(ava));
      // An admin makes Ava a Modify user after her sign-in read her as View: the sign-in does not undo it.
      await transaction.run(() => users.changeRole(orgA, ava.id, 'modify'));
      const objectId = randomUUID();
      const T1 = new Date('2026-11-27T11:00:00.000Z');
      expect(await transaction.run(() => users.recordSignIn(orgA, ava.id, objectId, 'Ava Jones', T1))).toBe(true);
      expect(await users.find(orgA, ava.id)).toMatchObject({ role: 'modify', objectId, displayName: 'Ava Jones', lastSignInAt: T1 });

      // Another Microsoft account never rebinds the row; the same one signs in again.
      expect(await transaction.run(() => users.recordSignIn(orgA, ava.id, randomUUID(), 'Someone Else', T1))).toBe(false);
      expect(await users.find(orgA, ava.id)).toMatchObject({ objectId, displayName: 'Ava Jones' });
      expect(await transaction.run(() => users.recordSignIn(orgA, ava.id, objectId, 'Ava J.', T1))).toBe(true);

      // Another organization's row is not touched; a removed user is not re-created.
      expect(await transaction.run(() => users.recordSignIn(orgB, ava.id, objectId, 'Ava', T1))).toBe(false);
      expect(await transaction.run(() => users.changeRole(orgB, ava.id, 'admin'))).toBe(false);
      await transaction.run(() => users.remove(orgA, ava.id));
      expect(await transaction.run(() => users.recordSignIn(orgA, ava.id, objectId, 'Ava', T1))).toBe(false);
      expect(await transaction.run(() => users.changeRole(orgA, ava.id, 'admin'))).toBe(false);
      expect(await users.find(orgA, ava.id)).toBeNull();
    });
  });

  describe('change requests', () => {
    it('are read back as stored, within their organization only', async () => {
      const stored = request({ kind: 'decrease_at_renewal', toQuantity: 8, effectiveDate: new Date('2027-05-11T00:00:00.000Z') });
      await add(stored);
      expect(await requests.find(orgA, stored.id)).toEqual(stored);
      expect(await requests.find(orgB, stored.id)).toBeNull();
      expect(await requests.find(orgA, 'nope')).toBeNull();
    });

    it('allow one open request per subscription; once it is decided the next one may come', async () => {
      const first = request();
      await add(first);
      await expect(add(request({ subscriptionId: first.subscriptionId.toLowerCase() }))).rejects.toMatchObject({ code: '23505' });
      await transaction.run(() => requests.update({ ...first, status: 'rejected', decisionComment: 'no', completedAt: T0 }, 'pending'));
      await add(request({ subscriptionId: first.subscriptionId }));
    });

    it('change only from the status they were read in (the first decision wins)', async () => {
      const pending = request();
      await add(pending);
      const decider = { userId: randomUUID(), name: 'Contoso Admin' };
      expect(
        await transaction.run(() => requests.update({ ...pending, status: 'applying', decidedBy: decider, decidedAt: T0 }, 'pending')),
      ).toBe(true);
      expect(
        await transaction.run(() => requests.update({ ...pending, status: 'rejected', decidedBy: decider, decidedAt: T0 }, 'pending')),
      ).toBe(false);
      expect(await transaction.run(() => requests.update({ ...pending, status: 'applied', appliedQuantity: 12 }, 'applying'))).toBe(true);
      expect(await requests.find(orgA, pending.id)).toMatchObject({ status: 'applied', appliedQuantity: 12 });
      // Another organization cannot change it.
      expect(await transaction.run(() => requests.update({ ...pending, organizationId: orgB, status: 'failed' }, 'applied'))).toBe(false);
    });

    it('list a tenant newest first, the open ones oldest first, and the activity of a period', async () => {
      const tenant = randomUUID();
      const old = request({
        tenantId: tenant,
        requestedAt: new Date('2026-10-01T00:00:00Z'),
        status: 'applied',
        decidedAt: new Date('2026-10-01T01:00:00Z'),
        completedAt: new Date('2026-10-01T01:00:00Z'),
      });
      const recent = request({ tenantId: tenant, requestedAt: new Date('2026-11-26T00:00:00Z') });
      const older = request({
        tenantId: tenant,
        requestedAt: new Date('2026-11-20T00:00:00Z'),
        status: 'scheduled',
        effectiveDate: new Date('2027-01-01T00:00:00Z'),
        kind: 'decrease_at_renewal',
      });
      for (const r of [old, recent, older]) await add(r);
      expect((await requests.ofTenant(orgA, tenant, 10)).map((r) => r.id)).toEqual([recent.id, older.id, old.id]);
      expect((await requests.ofTenant(orgA, tenant, 1)).map((r) => r.id)).toEqual([recent.id]);
      expect(await requests.ofTenant(orgB, tenant, 10)).toEqual([]);
      const open = (await requests.open(orgA)).filter((r) => r.tenantId === tenant).map((r) => r.id);
      expect(open).toEqual([older.id, recent.id]);
      const activity = (await requests.activitySince(orgA, new Date('2026-11-01T00:00:00Z')))
        .filter((r) => r.tenantId === tenant)
        .map((r) => r.id);
      expect(activity).toEqual([older.id, recent.id]);
    });

    it('find due work across organizations: scheduled ones whose day came, and applying ones left untouched', async () => {
      const dueScheduled = request({
        organizationId: orgB,
        status: 'scheduled',
        kind: 'decrease_at_renewal',
        effectiveDate: new Date('2026-11-27T00:00:00Z'),
      });
      const laterScheduled = request({ status: 'scheduled', kind: 'decrease_at_renewal', effectiveDate: new Date('2026-12-27T00:00:00Z') });
      const staleApplying = request({ status: 'applying', updatedAt: new Date('2026-11-27T09:00:00Z') });
      const freshApplying = request({ status: 'applying', updatedAt: new Date('2026-11-27T09:55:00Z') });
      for (const r of [dueScheduled, laterScheduled, staleApplying, freshApplying]) await add(r);
      const due = (await requests.due(new Date('2026-11-27T10:00:00Z'), new Date('2026-11-27T09:50:00Z'), 100)).map((r) => r.id);
      expect(due).toEqual(expect.arrayContaining([dueScheduled.id, staleApplying.id]));
      expect(due).not.toContain(laterScheduled.id);
      expect(due).not.toContain(freshApplying.id);
    });
  });
});
