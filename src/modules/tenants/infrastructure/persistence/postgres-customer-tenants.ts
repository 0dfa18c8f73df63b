import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';
import { CustomerTenants, type CustomerTenantSummary } from '../../contracts/customer-tenants';

interface Row {
  tenant_id: string;
  company_name: string;
  domain: string;
  delegated_admin_id: string;
  status: 'active' | 'removed';
}

const COLUMNS = 'tenant_id, company_name, domain, delegated_admin_id, status';

@Injectable()
export class PostgresCustomerTenants extends CustomerTenants {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async find(organizationId: string, tenantId: string): Promise<CustomerTenantSummary | null> {
    const [row] = await rawSql<Row>(this.em, `select ${COLUMNS} from customer_tenants where organization_id = ? and tenant_id = ?`, [
      organizationId,
      tenantId,
    ]);
    return row ? toSummary(row) : null;
  }

  async ofDelegatedAdmin(organizationId: string, delegatedAdminId: string): Promise<CustomerTenantSummary[]> {
    const rows = await rawSql<Row>(
      this.em,
      `select ${COLUMNS} from customer_tenants where organization_id = ? and delegated_admin_id = ? and status = 'active' order by lower(company_name), tenant_id`,
      [organizationId, delegatedAdminId],
    );
    return rows.map(toSummary);
  }

  async active(organizationId: string): Promise<CustomerTenantSummary[]> {
    const rows = await rawSql<Row>(
      this.em,
      `select ${COLUMNS} from customer_tenants where organization_id = ? and status = 'active' order by lower(company_name), tenant_id`,
      [organizationId],
    );
    return rows.map(toSummary);
  }
}

function toSummary(row: Row): CustomerTenantSummary {
  return {
    tenantId: row.tenant_id,
    companyName: row.company_name,
    domain: row.domain,
    delegatedAdminId: row.delegated_admin_id,
    status: row.status,
  };
}
