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
    // The import's event handlers (MICROSOFT_CONCURRENCY_PER_LIMIT / 2 and / 4 workers: up to 16 + 8) hold a connection
    // for their whole transaction while its readers (up to IMPORT_CONCURRENCY) query briefly: with 10, and then with 20
    // once more tenants were read at once, readers queued behind the handlers (npm run bench:profile).
    pool: { min: 0, max: 30 },
    ...overrides,
  });
}
