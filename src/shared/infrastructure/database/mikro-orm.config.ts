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
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}
