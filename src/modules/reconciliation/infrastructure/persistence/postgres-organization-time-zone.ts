import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';
import { OrganizationTimeZone } from '../../contracts/organization-time-zone';

@Injectable()
export class PostgresOrganizationTimeZone extends OrganizationTimeZone {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async of(organizationId: string): Promise<string> {
    const [row] = await rawSql<{ time_zone: string }>(this.em, 'select time_zone from reconciliation_schedules where organization_id = ?', [
      organizationId,
    ]);
    return row?.time_zone ?? 'UTC';
  }
}
