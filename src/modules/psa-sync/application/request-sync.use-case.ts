import { Injectable } from '@nestjs/common';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { PSA_NAMES } from '../domain/psa-connection';
import type { SyncTrigger } from '../domain/psa-sync-run';
import { PsaNotConnectedError } from '../domain/psa-sync.errors';
import { PsaSyncRepository } from './ports/psa-sync.repository';
import { SyncPsaUseCase, type SyncOutcome } from './sync-psa.use-case';
import { type ActingParty } from '../../../shared/application/actor';

export const PSA_SYNC_QUEUE = 'psa-sync-runs';

export interface PsaSyncJob {
  organizationId: string;
  runId: string;
  trigger: SyncTrigger;
  triggeredBy: string;
}

// Starting runs: a sync is a durable job (one waiting per organization; a retry keeps its run id), a dry run is
// computed at once (it writes nothing, so the person sees its plan right away).
@Injectable()
export class RequestSyncUseCase {
  constructor(
    private readonly repository: PsaSyncRepository,
    private readonly sync: SyncPsaUseCase,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  async syncNow(actor: ActingParty): Promise<{ runId: string; queued: boolean }> {
    const connection = await this.repository.connection(actor.organizationId);
    if (!connection) throw new PsaNotConnectedError();
    const runId = this.sync.newRunId();
    return this.transaction.run(async () => {
      const id = await this.jobs.enqueue(
        PSA_SYNC_QUEUE,
        { organizationId: actor.organizationId, runId, trigger: 'sync-now', triggeredBy: actor.name } satisfies PsaSyncJob,
        { singletonKey: actor.organizationId, retryLimit: 5 },
      );
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'psa-sync.sync-requested',
        subject: `${PSA_NAMES[connection.kind]} (${connection.label})`,
        outcome: 'success',
        detail: id ? 'Sync started' : 'A sync was already waiting; it covers this request',
      });
      return { runId, queued: id !== null };
    });
  }

  // After a reconciliation or a billing recompute: one waiting job per organization covers them all.
  async scheduled(organizationId: string, delaySeconds: number, triggeredBy: string): Promise<void> {
    if (!(await this.repository.connection(organizationId))) return;
    await this.jobs.enqueue(
      PSA_SYNC_QUEUE,
      { organizationId, runId: this.sync.newRunId(), trigger: 'reconciliation', triggeredBy } satisfies PsaSyncJob,
      {
        singletonKey: organizationId,
        startAfterSeconds: delaySeconds,
        retryLimit: 5,
      },
    );
  }

  dryRun(actor: ActingParty): Promise<SyncOutcome | null> {
    return this.sync.execute({
      organizationId: actor.organizationId,
      runId: this.sync.newRunId(),
      trigger: 'dry-run',
      triggeredBy: actor.name,
      dryRun: true,
    });
  }
}
