import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';
import { StaffDirectory, type StaffMember } from '../../contracts/staff-directory';

interface Row {
  id: string;
  display_name: string;
  email: string | null;
  user_principal_name: string;
}

@Injectable()
export class PostgresStaffDirectory extends StaffDirectory {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async members(organizationId: string): Promise<StaffMember[]> {
    const rows = await rawSql<Row>(
      this.em,
      'select id, display_name, email, user_principal_name from staff_users where organization_id = ? order by lower(display_name), id',
      [organizationId],
    );
    return rows.map(toMember);
  }

  async member(organizationId: string, userId: string): Promise<StaffMember | null> {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
    const [row] = await rawSql<Row>(
      this.em,
      'select id, display_name, email, user_principal_name from staff_users where organization_id = ? and id = ?',
      [organizationId, userId],
    );
    return row ? toMember(row) : null;
  }

  async organizationName(organizationId: string): Promise<string | null> {
    const [row] = await rawSql<{ name: string }>(this.em, 'select name from organizations where id = ?', [organizationId]);
    return row?.name ?? null;
  }
}

function toMember(row: Row): StaffMember {
  return { userId: row.id, displayName: row.display_name, emailAddress: row.email ?? row.user_principal_name };
}
