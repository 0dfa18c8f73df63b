import { Injectable } from '@nestjs/common';
import { DelegatedAdminQueries } from '../../consent';
import { StartImportUseCase } from './start-import.use-case';

// "Refresh now": an import for every connected Partner Center account of the organization that can be used.
@Injectable()
export class StartOrganizationImportUseCase {
  constructor(
    private readonly delegatedAdmins: DelegatedAdminQueries,
    private readonly startImport: StartImportUseCase,
  ) {}

  async execute(organizationId: string): Promise<{ started: number; alreadyRunning: number; connected: number }> {
    const admins = (await this.delegatedAdmins.list(organizationId)).filter((a) => a.status !== 'needs_reconsent');
    let started = 0;
    for (const admin of admins) {
      if ((await this.startImport.execute({ organizationId, delegatedAdminId: admin.id, trigger: 'manual' })).started) started++;
    }
    return { started, alreadyRunning: admins.length - started, connected: admins.length };
  }
}
