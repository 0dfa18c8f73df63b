import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import type { AlertCondition } from '../../domain/alert-facts';
import { PostgresAlertRepository } from './postgres-alert.repository';

describe('alerts on PostgreSQL: opened and refreshed in one statement each, once per key', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let alerts: PostgresAlertRepository;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const tenant = randomUUID();
  const condition = (key: string, title: string): AlertCondition => ({
    key,
    rule: 'over-assigned',
    severity: 'critical',
    tenantId: tenant,
    tenantName: 'Coho Winery',
    skuId: null,
    title,
    action: 'Buy seats or unassign them.',
  });
  const at = (minute: number) => new Date(`2026-12-07T10:${String(minute).padStart(2, '0')}:00Z`);

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { allowGlobalContext: true }));
    await orm.em
      .getConnection()
      .execute(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('${orgA}', '${randomUUID()}', 'A', now()), ('${orgB}', '${randomUUID()}', 'B', now())`,
      );
    alerts = new PostgresAlertRepository(orm.em);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('opens every new key at once, and nothing for a key already open (as a second instance would find)', async () => {
    const first = await alerts.open(
      orgA,
      [
        { id: randomUUID(), condition: condition('k1', 'Over-assigned by 3') },
        { id: randomUUID(), condition: condition('k2', 'Over-assigned by 1') },
      ],
      at(0),
    );
    expect(first.map((a) => [a.key, a.title, a.openedAt]).sort()).toEqual([
      ['k1', 'Over-assigned by 3', at(0)],
      ['k2', 'Over-assigned by 1', at(0)],
    ]);
    const again = await alerts.open(
      orgA,
      [
        { id: randomUUID(), condition: condition('k1', 'Over-assigned by 3') },
        { id: randomUUID(), condition: condition('k3', 'Over-assigned by 7') },
      ],
      at(1),
    );
    expect(again.map((a) => a.key)).toEqual(['k3']);
    // Another organization's alert of the same key is its own.
    expect((await alerts.open(orgB, [{ id: randomUUID(), condition: condition('k1', 'B') }], at(1))).map((a) => a.key)).toEqual(['k1']);
    expect((await alerts.openAlerts(orgA)).map((a) => a.key).sort()).toEqual(['k1', 'k2', 'k3']);
  });

  it('refreshes the words and last-seen time of open alerts only, within one organization', async () => {
    const [k2] = (await alerts.openAlerts(orgA)).filter((a) => a.key === 'k2');
    await alerts.resolve(orgA, [k2.id], at(2));
    await alerts.refresh(orgA, [condition('k1', 'Over-assigned by 5'), condition('k2', 'Over-assigned by 9')], at(3));
    const open = await alerts.openAlerts(orgA);
    expect(open.find((a) => a.key === 'k1')).toMatchObject({ title: 'Over-assigned by 5', lastSeenAt: at(3), openedAt: at(0) });
    expect(open.find((a) => a.key === 'k3')).toMatchObject({ title: 'Over-assigned by 7', lastSeenAt: at(1) });
    expect((await alerts.find(orgA, k2.id))!).toMatchObject({ title: 'Over-assigned by 1', resolvedAt: at(2) });
    expect((await alerts.openAlerts(orgB))[0]).toMatchObject({ title: 'B' });
  });
});
