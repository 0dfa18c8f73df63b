import type { PsaConnection } from '../../domain/psa-connection';
import type { ProductMapping, TenantMapping } from '../../domain/psa-mapping';
import type { SyncRun, TenantSyncResult } from '../../domain/psa-sync-run';

// Every method is scoped to one organization.
export abstract class PsaSyncRepository {
  abstract connection(organizationId: string): Promise<PsaConnection | null>;
  abstract saveConnection(connection: PsaConnection): Promise<void>;
  // Removes the connection and its mappings (they name records of that PSA); the history stays.
  abstract removeConnection(organizationId: string): Promise<boolean>;

  abstract tenantMappings(organizationId: string): Promise<TenantMapping[]>;
  abstract saveTenantMapping(organizationId: string, mapping: TenantMapping): Promise<void>;
  abstract productMappings(organizationId: string): Promise<ProductMapping[]>;
  abstract saveProductMapping(organizationId: string, mapping: ProductMapping): Promise<void>;

  // A run is created once (its id is the job's key): false when it existed already (a retried job).
  abstract createRun(run: SyncRun): Promise<boolean>;
  // Each execution of a run (the first, or a retry) takes the next attempt number; only the newest may write.
  abstract startAttempt(organizationId: string, runId: string): Promise<number>;
  abstract isCurrentAttempt(organizationId: string, runId: string, attempt: number): Promise<boolean>;
  // Finishes the run if `attempt` is still its newest: false (nothing changed) when a newer execution took it over.
  abstract finishRun(
    organizationId: string,
    runId: string,
    attempt: number,
    values: Pick<SyncRun, 'status' | 'finishedAt' | 'tenants' | 'changedLines' | 'failedTenants'>,
  ): Promise<boolean>;
  abstract saveTenantResult(organizationId: string, runId: string, result: TenantSyncResult): Promise<void>;
  // Marks runs still running that started before `startedBefore` as stopped; answers how many.
  abstract stopStaleRuns(organizationId: string, startedBefore: Date, at: Date): Promise<number>;
  abstract run(organizationId: string, runId: string): Promise<SyncRun | null>;
  abstract runs(organizationId: string, options: { limit: number; before?: Date }): Promise<SyncRun[]>;
  abstract tenantResults(organizationId: string, runId: string): Promise<TenantSyncResult[]>;
}
