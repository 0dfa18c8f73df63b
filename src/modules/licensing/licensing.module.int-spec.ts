import { randomUUID } from 'node:crypto';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { eventually } from '../../../test/support/eventually';
import { configForDatabase, createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { SystemClock } from '../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../shared/application/integration-event';
import { Transaction } from '../../shared/application/transaction';
import { ormOptions } from '../../shared/infrastructure/database/mikro-orm.config';
import { SharedModule } from '../../shared/shared.module';
import type { TenantLicencesReadPayload } from '../tenants';
import { LICENCES_RECORDED, LicensingModule, LicensingQueries } from './index';
import { directorySubscriptionSnapshot, skuSnapshot, subscriptionSnapshot } from './infrastructure/testing/licence-snapshots';
import { TENANT_LICENCES_READ } from '../tenants/events';

// The module as the app runs it: a tenants.tenant-licences-read event committed to the outbox reaches the handler
// through pg-boss, and the licences-recorded event it publishes is in the outbox.
describe('the licensing module on tenants.tenant-licences-read', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const org = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = configForDatabase(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [
        SharedModule.register(config, new SystemClock()),
        MikroOrmModule.forRoot({ ...ormOptions(db.url), autoLoadEntities: true }),
        LicensingModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await app
      .get(MikroORM)
      .em.getConnection()
      .execute(`insert into organizations (id, entra_tenant_id, name, created_at) values ('${org}', '${randomUUID()}', 'A', now())`);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('records the licences and publishes licensing.licences-recorded', async () => {
    const tenantId = randomUUID();
    const importRunId = randomUUID();
    const payload: TenantLicencesReadPayload = {
      importRunId,
      delegatedAdminId: randomUUID(),
      tenantId,
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [skuSnapshot()],
      subscriptions: [subscriptionSnapshot()],
      directory: { subscriptions: [directorySubscriptionSnapshot()] },
    };
    await app
      .get(Transaction)
      .run(async () => app.get(EventOutbox).publish(integrationEvent(TENANT_LICENCES_READ, org, payload, new Date())));

    const queries = app.get(LicensingQueries);
    await eventually(async () =>
      expect(await queries.licencesOfTenant(org, tenantId)).toEqual([
        expect.objectContaining({ productName: 'Microsoft 365 Business Premium', purchased: 25, assigned: 20 }),
      ]),
    );
    expect(await queries.subscriptionsOfTenant(org, tenantId)).toEqual([
      expect.objectContaining({ id: subscriptionSnapshot().id, skuId: skuSnapshot().skuId, tenantUnits: 25 }),
    ]);
    expect((await queries.subscriptionMatches(org, tenantId)).skus).toEqual([
      expect.objectContaining({ skuId: skuSnapshot().skuId, soldByYou: true }),
    ]);
    const [recorded] = await app
      .get(MikroORM)
      .em.getConnection()
      .execute<{ organization_id: string; payload: object }[]>(
        `select organization_id, payload from outbox_messages where event_name = ?`,
        [LICENCES_RECORDED],
      );
    expect(recorded).toEqual({
      organization_id: org,
      payload: { importRunId, tenantId, purchased: 25, assigned: 20, hasUnassignedSeats: true, licencesUnreadable: null },
    });
  });
});
