import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { migrationsList } from '../../../../migrations';

// Entities are registered by each module (MikroOrmModule.forFeature + autoLoadEntities); the schema comes only
// from the migrations listed in migrations/index.ts.
export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, snapshot: false },
    discovery: { warnWhenNoEntities: false },
    forceUtcTimezone: true,
    // The import's event handlers (two queues of IMPORT_CONCURRENCY / 4 workers each) hold a connection for their whole
    // transaction while its readers query briefly: with 10, readers queued behind the handlers (npm run bench:profile).
    pool: { min: 0, max: 20 },
    ...overrides,
  });
}
