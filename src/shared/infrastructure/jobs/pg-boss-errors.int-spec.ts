import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { eventually } from '../../../../test/support/eventually';
import { configForDatabase, createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { PgBossService } from './pg-boss.service';

// PostgreSQL shutting down (or Ctrl-C on npm start, which reaches the embedded PostgreSQL too) ends every connection
// of the job queue: one plain warning, not an error with a stack per connection.
describe("the job queue's connections ended by PostgreSQL (real PostgreSQL)", () => {
  let db: TestDatabase;
  let client: Client;
  let boss: PgBossService;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    boss = new PgBossService(configForDatabase(db.url));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await boss.start();
  });
  afterAll(async () => {
    await boss.beforeApplicationShutdown();
    warn.mockRestore();
    error.mockRestore();
    await client.end();
    await db.drop();
  });

  // Ends the queue's open connections as a shutdown does (pg_terminate_backend sends 57P01); how many it ended.
  const terminateQueueConnections = async () =>
    (
      await client.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where application_name = 'sync365-jobs' and datname = current_database()`,
      )
    ).rows[0].n;
  const queueWarnings = () => warn.mock.calls.filter(([message]) => String(message).includes('job queue connections'));

  it('says once, in plain words, that PostgreSQL closed them; other errors are still errors', async () => {
    await boss.enqueue('test.connections', {});
    expect(await terminateQueueConnections()).toBeGreaterThan(0);
    await eventually(() => expect(queueWarnings()).toHaveLength(1));
    expect(queueWarnings()).toEqual([
      ['PostgreSQL closed the job queue connections (it is shutting down or restarting); they are opened again once it is back.'],
    ]);
    expect(error).not.toHaveBeenCalled();

    // The queue works again on new connections; ending them again within the minute adds no second warning.
    await boss.enqueue('test.connections', {});
    expect(await terminateQueueConnections()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(queueWarnings()).toHaveLength(1);
    expect(error).not.toHaveBeenCalled();

    boss.boss.emit('error', new Error('something else went wrong'));
    expect(error).toHaveBeenCalledWith({ err: new Error('something else went wrong') }, 'Job queue error');
  });
});
