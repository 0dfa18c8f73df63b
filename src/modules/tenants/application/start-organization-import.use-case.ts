import { Injectable } from '@nestjs/common';
import { DelegatedAdminQueries } from '../../consent';
import type { ImportRun } from '../domain/import-run';
import { ImportRunNotFoundError } from '../domain/tenants.errors';
import { StartImportUseCase } from './start-import.use-case';

// "Re-read all customers from Microsoft" (page and API) and the licensing reconciliation: an import for every connected Partner Center account of the organization that
// can be used, or for one of them. An account whose consent needs renewing is skipped: its import would fail.
@Injectable()
export class StartOrganizationImportUseCase {
  constructor(
    private readonly delegatedAdmins: DelegatedAdminQueries,
    private readonly startImport: StartImportUseCase,
  ) {}

  async execute(
    organizationId: string,
    delegatedAdminId?: string,
    trigger: ImportRun['trigger'] = 'manual',
  ): Promise<{ runs: ImportRun[]; started: number; connected: number }> {
    const connected = (await this.delegatedAdmins.list(organizationId)).filter((a) => a.status !== 'needs_reconsent');
    const wanted = delegatedAdminId ? connected.filter((a) => a.id === delegatedAdminId) : connected;
    if (delegatedAdminId && wanted.length === 0) throw new ImportRunNotFoundError();
    const runs: ImportRun[] = [];
    let started = 0;
    for (const admin of wanted) {
      const result = await this.startImport.execute({ organizationId, delegatedAdminId: admin.id, trigger });
      runs.push(result.run);
      if (result.started) started++;
    }
    return { runs, started, connected: connected.length };
  }
}
