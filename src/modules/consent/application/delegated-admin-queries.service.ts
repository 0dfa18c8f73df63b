import { Injectable } from '@nestjs/common';
import { DelegatedAdminQueries, type DelegatedAdminSummary } from '../contracts/delegated-admin-queries';
import { DelegatedAdminRepository } from './ports/delegated-admin.repository';

@Injectable()
export class DelegatedAdminQueriesService extends DelegatedAdminQueries {
  constructor(private readonly admins: DelegatedAdminRepository) {
    super();
  }

  async list(organizationId: string): Promise<DelegatedAdminSummary[]> {
    return (await this.admins.listByOrganization(organizationId)).map((a) => ({ id: a.id, accountUpn: a.accountUpn, status: a.status }));
  }
}
