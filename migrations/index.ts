import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000_accounts } from './Migration20261126000000_accounts';

// Listed explicitly (not globbed) so the same migrations run from TypeScript under jest and from dist/ in production.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000_accounts', class: Migration20261126000000_accounts },
];
