import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { ChangeRequestRepository } from '../../application/ports/change-request.repository';
import type { ChangeRequest, ChangeStatus } from '../../domain/change-request';
import type { ChangeKind } from '../../domain/change-rules';

interface ChangeRequestRow {
  id: string;
  organization_id: string;
  tenant_id: string;
  tenant_name: string;
  subscription_id: string;
  subscription_name: string;
  kind: ChangeKind;
  from_quantity: number;
  to_quantity: number;
  status: ChangeStatus;
  requested_by_portal_user_id: string;
  requested_by_name: string;
  requested_by_upn: string;
  requested_at: string | Date;
  decided_by_user_id: string | null;
  decided_by_name: string | null;
  decided_at: string | Date | null;
  decision_comment: string | null;
  result: string | null;
  applied_quantity: number | null;
  effective_date: string | Date | null;
  completed_at: string | Date | null;
  updated_at: string | Date;
  partner_center_pending_since: string | Date | null;
}

const OPEN = `status in ('pending', 'applying', 'scheduled')`;

@Injectable()
export class PostgresChangeRequestRepository extends ChangeRequestRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(request: ChangeRequest): Promise<void> {
    await rawSql(
      this.em,
      `insert into portal_change_requests (id, organization_id, tenant_id, tenant_name, subscription_id, subscription_name, kind, from_quantity, to_quantity, status,
         requested_by_portal_user_id, requested_by_name, requested_by_upn, requested_at, decided_by_user_id, decided_by_name, decided_at, decision_comment, result,
         applied_quantity, effective_date, completed_at, updated_at, partner_center_pending_since)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        request.id,
        request.organizationId,
        request.tenantId,
        request.tenantName,
        request.subscriptionId,
        request.subscriptionName,
        request.kind,
        request.fromQuantity,
        request.toQuantity,
        request.status,
        request.requestedBy.portalUserId,
        request.requestedBy.name,
        request.requestedBy.userPrincipalName,
        request.requestedAt,
        request.decidedBy?.userId ?? null,
        request.decidedBy?.name ?? null,
        request.decidedAt,
        request.decisionComment,
        request.result,
        request.appliedQuantity,
        request.effectiveDate,
        request.completedAt,
        request.updatedAt,
        request.pendingSince,
      ],
    );
  }

  async find(organizationId: string, id: string): Promise<ChangeRequest | null> {
    if (!isGuid(id)) return null;
    const [row] = await rawSql<ChangeRequestRow>(this.em, 'select * from portal_change_requests where organization_id = ? and id = ?', [
      organizationId,
      id.toLowerCase(),
    ]);
    return row ? toRequest(row) : null;
  }

  // What a decision or Partner Center's answer changes; the request itself (who asked for what) never changes.
  async update(request: ChangeRequest, expectedStatus: ChangeStatus): Promise<boolean> {
    const rows = await rawSql<{ id: string }>(
      this.em,
      `update portal_change_requests set status = ?, decided_by_user_id = ?, decided_by_name = ?, decided_at = ?, decision_comment = ?, result = ?, applied_quantity = ?,
         completed_at = ?, updated_at = ?, effective_date = ?, partner_center_pending_since = ?
       where organization_id = ? and id = ? and status = ? returning id`,
      [
        request.status,
        request.decidedBy?.userId ?? null,
        request.decidedBy?.name ?? null,
        request.decidedAt,
        request.decisionComment,
        request.result,
        request.appliedQuantity,
        request.completedAt,
        request.updatedAt,
        request.effectiveDate,
        request.pendingSince,
        request.organizationId,
        request.id,
        expectedStatus,
      ],
    );
    return rows.length === 1;
  }

  async ofTenant(organizationId: string, tenantId: string, limit: number): Promise<ChangeRequest[]> {
    if (!isGuid(tenantId)) return [];
    const rows = await rawSql<ChangeRequestRow>(
      this.em,
      'select * from portal_change_requests where organization_id = ? and tenant_id = ? order by requested_at desc, id desc limit ?',
      [organizationId, tenantId.toLowerCase(), limit],
    );
    return rows.map(toRequest);
  }

  async open(organizationId: string): Promise<ChangeRequest[]> {
    const rows = await rawSql<ChangeRequestRow>(
      this.em,
      `select * from portal_change_requests where organization_id = ? and ${OPEN} order by requested_at, id`,
      [organizationId],
    );
    return rows.map(toRequest);
  }

  async activitySince(organizationId: string, since: Date): Promise<ChangeRequest[]> {
    const rows = await rawSql<ChangeRequestRow>(
      this.em,
      `select * from portal_change_requests where organization_id = ?
         and (status = 'pending' or requested_at >= ? or decided_at >= ? or completed_at >= ?)
       order by requested_at, id`,
      [organizationId, since, since, since],
    );
    return rows.map(toRequest);
  }

  async due(now: Date, staleBefore: Date, limit: number): Promise<ChangeRequest[]> {
    const rows = await rawSql<ChangeRequestRow>(
      this.em,
      `select * from portal_change_requests
       where (status = 'scheduled' and effective_date <= ?) or (status = 'applying' and (updated_at < ? or partner_center_pending_since is not null))
       order by updated_at, id limit ?`,
      [now, staleBefore, limit],
    );
    return rows.map(toRequest);
  }
}

function toRequest(row: ChangeRequestRow): ChangeRequest {
  return {
    id: row.id,
    organizationId: row.organization_id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    subscriptionId: row.subscription_id,
    subscriptionName: row.subscription_name,
    kind: row.kind,
    fromQuantity: row.from_quantity,
    toQuantity: row.to_quantity,
    status: row.status,
    requestedBy: { portalUserId: row.requested_by_portal_user_id, name: row.requested_by_name, userPrincipalName: row.requested_by_upn },
    requestedAt: sqlTime(row.requested_at),
    decidedBy: row.decided_by_user_id && row.decided_by_name ? { userId: row.decided_by_user_id, name: row.decided_by_name } : null,
    decidedAt: sqlTime(row.decided_at),
    decisionComment: row.decision_comment,
    result: row.result,
    appliedQuantity: row.applied_quantity,
    effectiveDate: sqlTime(row.effective_date),
    completedAt: sqlTime(row.completed_at),
    updatedAt: sqlTime(row.updated_at),
    pendingSince: sqlTime(row.partner_center_pending_since),
  };
}
