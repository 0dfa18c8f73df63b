import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlertConditionSources, type AlertCondition, type AlertConditionSource } from '../../../alerts';
import { PsaSyncRepository } from '../../application/ports/psa-sync.repository';

const PSA_NAMES: Record<string, string> = { connectwise: 'ConnectWise PSA', autotask: 'Autotask' };

// PSA sync's conditions for the alert centre: after the latest real sync (dry runs aside), each customer the PSA
// refused is an alert with the PSA's words and the fix, and a run that gave up (the PSA kept failing or could not be
// reached) is one alert for the organization. The next successful sync resolves them.
@Injectable()
export class PsaSyncAlertConditions implements AlertConditionSource, OnModuleInit {
  readonly name = 'psa-sync';

  constructor(
    private readonly sources: AlertConditionSources,
    private readonly repository: PsaSyncRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async conditionsOf(organizationId: string): Promise<AlertCondition[]> {
    if (!(await this.repository.connection(organizationId))) return [];
    const latest = (await this.repository.runs(organizationId, { limit: 20 })).find(
      (run) => run.status !== 'running' && run.status !== 'dry-run',
    );
    if (!latest) return [];
    const psa = PSA_NAMES[latest.psaKind] ?? 'your PSA';
    if (latest.status === 'stopped') {
      return [
        {
          rule: 'psa-sync-failed',
          key: 'psa-sync-failed:run',
          severity: 'warning',
          tenantId: null,
          tenantName: null,
          skuId: null,
          title: `The sync to ${psa} stopped before it finished: agreements there may be out of date`,
          action: `Check the connection under Settings → Billing → PSA (press Test), then press Sync now; Billing → PSA sync shows what was written.`,
        },
      ];
    }
    if (latest.status !== 'failed') return [];
    const failed = (await this.repository.tenantResults(organizationId, latest.id)).filter((result) => result.status === 'failed');
    return failed.map((result) => ({
      rule: 'psa-sync-failed',
      key: `psa-sync-failed:${result.tenantId.toLowerCase()}`,
      severity: 'warning',
      tenantId: result.tenantId,
      tenantName: result.companyName,
      skuId: null,
      title: `${psa} refused the sync of ${result.companyName}: ${result.message}`,
      action: result.fix ?? `Open the run under Billing → PSA sync for ${psa}'s answer, fix it there, then press Sync now.`,
    }));
  }
}
