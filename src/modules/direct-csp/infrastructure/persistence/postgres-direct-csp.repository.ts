import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { DirectCspRepository } from '../../application/ports/direct-csp.repository';
import type { DirectCspTest, PortalSetting } from '../../domain/direct-csp-test';

interface TestRow {
  id: string;
  organization_id: string;
  delegated_admin_id: string;
  tenant_id: string;
  tenant_name: string;
  outcome: DirectCspTest['outcome'];
  reason: string;
  evidence: string[];
  tested_by_user_id: string;
  tested_by_name: string;
  tested_at: string | Date;
}

interface SettingRow {
  organization_id: string;
  tenant_id: string;
  enabled: boolean;
  changed_at: string | Date;
  changed_by_user_id: string;
  changed_by_name: string;
}

@Injectable()
export class PostgresDirectCspRepository extends DirectCspRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async addTest(test: DirectCspTest): Promise<void> {
    await rawSql(
      this.em,
      `insert into direct_csp_tests (id, organization_id, delegated_admin_id, tenant_id, tenant_name, outcome, reason, evidence, tested_by_user_id, tested_by_name, tested_at)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)`,
      [
        test.id,
        test.organizationId,
        test.delegatedAdminId,
        test.tenantId,
        test.tenantName,
        test.outcome,
        test.reason,
        JSON.stringify(test.evidence),
        test.testedByUserId,
        test.testedByName,
        test.testedAt,
      ],
    );
  }

  async testsOf(organizationId: string, delegatedAdminId: string, limit: number): Promise<DirectCspTest[]> {
    const rows = await rawSql<TestRow>(
      this.em,
      'select * from direct_csp_tests where organization_id = ? and delegated_admin_id = ? order by tested_at desc, id desc limit ?',
      [organizationId, delegatedAdminId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      delegatedAdminId: row.delegated_admin_id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      outcome: row.outcome,
      reason: row.reason,
      evidence: row.evidence,
      testedByUserId: row.tested_by_user_id,
      testedByName: row.tested_by_name,
      testedAt: sqlTime(row.tested_at),
    }));
  }

  async portalSetting(organizationId: string, tenantId: string): Promise<PortalSetting | null> {
    const [row] = await rawSql<SettingRow>(this.em, 'select * from tenant_portal_settings where organization_id = ? and tenant_id = ?', [
      organizationId,
      tenantId,
    ]);
    return row
      ? {
          organizationId: row.organization_id,
          tenantId: row.tenant_id,
          enabled: row.enabled,
          changedAt: sqlTime(row.changed_at),
          changedByUserId: row.changed_by_user_id,
          changedByName: row.changed_by_name,
        }
      : null;
  }

  async savePortalSetting(setting: PortalSetting): Promise<void> {
    await rawSql(
      this.em,
      `insert into tenant_portal_settings (organization_id, tenant_id, enabled, changed_at, changed_by_user_id, changed_by_name) values (?, ?, ?, ?, ?, ?)
       on conflict (organization_id, tenant_id) do update set enabled = excluded.enabled, changed_at = excluded.changed_at,
         changed_by_user_id = excluded.changed_by_user_id, changed_by_name = excluded.changed_by_name`,
      [setting.organizationId, setting.tenantId, setting.enabled, setting.changedAt, setting.changedByUserId, setting.changedByName],
    );
  }

  async organizationsWithPortal(tenantId: string): Promise<string[]> {
    const rows = await rawSql<{ organization_id: string }>(
      this.em,
      'select organization_id from tenant_portal_settings where tenant_id = ? and enabled order by organization_id',
      [tenantId],
    );
    return rows.map((row) => row.organization_id);
  }
}
