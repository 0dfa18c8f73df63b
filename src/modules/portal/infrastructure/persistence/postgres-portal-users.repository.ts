import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { PortalUserRepository } from '../../application/ports/portal-user.repository';
import type { PortalRole, PortalUser } from '../../domain/portal-user';

interface PortalUserRow {
  id: string;
  organization_id: string;
  tenant_id: string;
  user_principal_name: string;
  object_id: string | null;
  display_name: string | null;
  role: PortalRole;
  added_by_kind: 'partner' | 'portal';
  added_by_name: string;
  added_at: string | Date;
  last_sign_in_at: string | Date | null;
}

@Injectable()
export class PostgresPortalUserRepository extends PortalUserRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  // Ids come from addresses: anything but a GUID names no user (rather than failing the uuid comparison).
  async find(organizationId: string, id: string): Promise<PortalUser | null> {
    if (!isGuid(id)) return null;
    const [row] = await rawSql<PortalUserRow>(this.em, 'select * from portal_users where organization_id = ? and id = ?', [
      organizationId,
      id.toLowerCase(),
    ]);
    return row ? toUser(row) : null;
  }

  async ofTenant(organizationId: string, tenantId: string): Promise<PortalUser[]> {
    if (!isGuid(tenantId)) return [];
    const rows = await rawSql<PortalUserRow>(
      this.em,
      'select * from portal_users where organization_id = ? and tenant_id = ? order by lower(user_principal_name)',
      [organizationId, tenantId.toLowerCase()],
    );
    return rows.map(toUser);
  }

  async ofTenantInOrganizations(organizationIds: string[], tenantId: string): Promise<PortalUser[]> {
    if (organizationIds.length === 0 || !isGuid(tenantId)) return [];
    const rows = await rawSql<PortalUserRow>(
      this.em,
      'select * from portal_users where tenant_id = ? and organization_id in (?) order by lower(user_principal_name), organization_id',
      [tenantId.toLowerCase(), organizationIds],
    );
    return rows.map(toUser);
  }

  async add(user: PortalUser): Promise<void> {
    await rawSql(
      this.em,
      `insert into portal_users (id, organization_id, tenant_id, user_principal_name, object_id, display_name, role, added_by_kind, added_by_name, added_at, last_sign_in_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        user.id,
        user.organizationId,
        user.tenantId,
        user.userPrincipalName,
        user.objectId,
        user.displayName,
        user.role,
        user.addedBy.kind,
        user.addedBy.name,
        user.addedAt,
        user.lastSignInAt,
      ],
    );
  }

  async changeRole(organizationId: string, id: string, role: PortalRole): Promise<boolean> {
    if (!isGuid(id)) return false;
    const rows = await rawSql<{ id: string }>(
      this.em,
      'update portal_users set role = ? where organization_id = ? and id = ? returning id',
      [role, organizationId, id.toLowerCase()],
    );
    return rows.length > 0;
  }

  // One statement, so a role change or removal committed meanwhile stands: only the sign-in's own columns change.
  async recordSignIn(organizationId: string, id: string, objectId: string, displayName: string, at: Date): Promise<boolean> {
    if (!isGuid(id)) return false;
    const rows = await rawSql<{ id: string }>(
      this.em,
      `update portal_users set object_id = coalesce(object_id, ?), display_name = ?, last_sign_in_at = ?
       where organization_id = ? and id = ? and (object_id is null or object_id = ?) returning id`,
      [objectId, displayName, at, organizationId, id.toLowerCase(), objectId],
    );
    return rows.length > 0;
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!isGuid(id)) return;
    await rawSql(this.em, 'delete from portal_users where organization_id = ? and id = ?', [organizationId, id.toLowerCase()]);
  }
}

function toUser(row: PortalUserRow): PortalUser {
  return {
    id: row.id,
    organizationId: row.organization_id,
    tenantId: row.tenant_id,
    userPrincipalName: row.user_principal_name,
    objectId: row.object_id,
    displayName: row.display_name,
    role: row.role,
    addedBy: { kind: row.added_by_kind, name: row.added_by_name },
    addedAt: sqlTime(row.added_at),
    lastSignInAt: sqlTime(row.last_sign_in_at),
  };
}
