import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { RefreshTokenAges } from '../../contracts/refresh-token-ages';

// Reads only the rotation time, never the token.
@Injectable()
export class PostgresRefreshTokenAges extends RefreshTokenAges {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async of(organizationId: string): Promise<{ delegatedAdminId: string; renewedAt: Date }[]> {
    const rows = await rawSql<{ delegated_admin_id: string; rotated_at: string | Date }>(
      this.em,
      'select delegated_admin_id, rotated_at from delegated_admin_tokens where organization_id = ?',
      [organizationId],
    );
    return rows.map((row) => ({ delegatedAdminId: row.delegated_admin_id, renewedAt: sqlTime(row.rotated_at) }));
  }
}
