import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';
import { TenantHealth, type TenantHealthView } from '../../contracts/tenant-health';
import type { GdapRelationshipView } from '../../domain/gdap-access';

interface Row {
  tenant_id: string;
  company_name: string;
  gdap_status: TenantHealthView['gdapStatus'];
  gdap_missing_roles: string[];
  gdap_detail: GdapRelationshipView[] | null;
  app_status: TenantHealthView['appStatus'];
  access_problem_kind: TenantHealthView['accessProblemKind'];
  last_error: string | null;
  licences_unreadable: string | null;
}

@Injectable()
export class PostgresTenantHealth extends TenantHealth {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async page(organizationId: string, after: string | null, limit: number): Promise<TenantHealthView[]> {
    const rows = await rawSql<Row>(
      this.em,
      `select tenant_id, company_name, gdap_status, gdap_missing_roles, gdap_detail, app_status, access_problem_kind, last_error, licences_unreadable
       from customer_tenants where organization_id = ? and status = 'active'${after ? ' and tenant_id > ?' : ''} order by tenant_id limit ?`,
      after ? [organizationId, after, limit] : [organizationId, limit],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      companyName: row.company_name,
      gdapStatus: row.gdap_status,
      gdapMissingRoles: row.gdap_missing_roles ?? [],
      gdapRelationships: (row.gdap_detail ?? []).map((r) => ({ displayName: r.displayName, status: r.status, endDateTime: r.endDateTime })),
      appStatus: row.app_status,
      accessProblemKind: row.access_problem_kind,
      lastError: row.last_error,
      licencesUnreadable: row.licences_unreadable,
    }));
  }
}
