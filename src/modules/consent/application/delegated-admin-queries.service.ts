import { Injectable } from '@nestjs/common';
import {
  DelegatedAdminQueries,
  PartnerTypeRecords,
  type DelegatedAdminSummary,
  type PartnerType,
} from '../contracts/delegated-admin-queries';
import type { DelegatedAdmin, DirectCspConfirmation } from '../domain/delegated-admin';
import { DelegatedAdminRepository } from './ports/delegated-admin.repository';

@Injectable()
export class DelegatedAdminQueriesService extends DelegatedAdminQueries {
  constructor(private readonly admins: DelegatedAdminRepository) {
    super();
  }

  async list(organizationId: string): Promise<DelegatedAdminSummary[]> {
    return (await this.admins.listByOrganization(organizationId)).map(toSummary);
  }

  async find(organizationId: string, delegatedAdminId: string): Promise<DelegatedAdminSummary | null> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    return admin ? toSummary(admin) : null;
  }
}

// Joins the caller's transaction (the repository's unit of work is flushed when it commits).
@Injectable()
export class PartnerTypeRecordsService extends PartnerTypeRecords {
  constructor(private readonly admins: DelegatedAdminRepository) {
    super();
  }

  async recordDetected(
    organizationId: string,
    delegatedAdminId: string,
    type: PartnerType | null,
    detail: string,
    at: Date,
  ): Promise<boolean> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    admin?.recordPartnerType(type, detail, at);
    return admin !== null;
  }

  async confirmDirectCsp(organizationId: string, delegatedAdminId: string, confirmation: DirectCspConfirmation): Promise<boolean> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    admin?.confirmDirectCsp(confirmation);
    return admin !== null;
  }
}

export function toSummary(admin: DelegatedAdmin): DelegatedAdminSummary {
  return {
    id: admin.id,
    accountUpn: admin.accountUpn,
    partnerTenantId: admin.partnerTenantId,
    partnerDirectoryName: admin.partnerDirectoryName,
    status: admin.status,
    statusReason: admin.statusReason,
    partnerType: admin.partnerType,
    partnerTypeDetail: admin.partnerTypeDetail,
    partnerTypeDetectedAt: admin.partnerTypeDetectedAt,
    directCsp:
      admin.directCsp === 'yes' && admin.directCspConfirmedAt
        ? { at: admin.directCspConfirmedAt, byName: admin.directCspConfirmedByName ?? '', evidence: admin.directCspEvidence ?? '' }
        : null,
  };
}
