import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { BillingForPsaQueries, type ApprovedInvoiceLine } from '../../billing';
import { PSA_SYNC_COMPLETED, PSA_SYNC_FAILED, type PsaSyncFinishedPayload } from '../events';
import type { PsaConnection } from '../domain/psa-connection';
import type { ProductMapping, TenantMapping } from '../domain/psa-mapping';
import {
  runStatusOf,
  STALE_RUN_HOURS,
  type SyncLineResult,
  type SyncRun,
  type SyncTrigger,
  type TenantSyncResult,
} from '../domain/psa-sync-run';
import { PsaNotConnectedError, PsaRefusedError, RetryablePsaError } from '../domain/psa-sync.errors';
import {
  planAutotaskWrites,
  planConnectWiseWrites,
  type AutotaskWrite,
  type ConnectWiseWrite,
  type PlannedLine,
  type WantedLine,
} from '../domain/psa-write-plan';
import { PsaGateway, type PsaWrite } from './ports/psa-gateway.port';
import { PsaSyncRepository } from './ports/psa-sync.repository';

export interface SyncRequest {
  organizationId: string;
  runId: string;
  trigger: SyncTrigger;
  triggeredBy: string;
  dryRun: boolean;
}

export interface SyncOutcome {
  run: SyncRun;
  results: TenantSyncResult[];
}

// One sync run: per mapped customer tenant, the approved invoice's quantities (billing's door) against what the PSA
// holds now (read before every write), planned by the pure write plan and written through the PSA client. Only
// differences are written. A retried run (same id: the job's retry after a crash, a 5xx or a rate limit) skips the
// tenants it finished and re-plans the rest from the PSA's state, so nothing is written twice: ConnectWise's delta
// addition carries the run's key (psa-write-plan.ts), every other write is recognised by its effect.
@Injectable()
export class SyncPsaUseCase {
  private readonly logger = new Logger('PsaSync');

  constructor(
    private readonly repository: PsaSyncRepository,
    private readonly gateway: PsaGateway,
    private readonly billing: BillingForPsaQueries,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  newRunId(): string {
    return randomUUID();
  }

  async execute(request: SyncRequest): Promise<SyncOutcome | null> {
    const { organizationId, runId } = request;
    const connection = await this.repository.connection(organizationId);
    if (!connection) {
      if (request.trigger === 'reconciliation') return null; // nothing to sync into: the daily run is quiet
      throw new PsaNotConnectedError();
    }
    // A run whose job ran out of retries stays 'running' in the history otherwise.
    await this.repository.stopStaleRuns(
      organizationId,
      new Date(this.clock.now().getTime() - STALE_RUN_HOURS * 3_600_000),
      this.clock.now(),
    );
    const existing = await this.repository.run(organizationId, runId);
    if (existing && existing.finishedAt) return { run: existing, results: await this.repository.tenantResults(organizationId, runId) };
    if (!existing) {
      await this.repository.createRun({
        id: runId,
        organizationId,
        psaKind: connection.kind,
        trigger: request.trigger,
        triggeredBy: request.triggeredBy,
        status: 'running',
        startedAt: this.clock.now(),
        finishedAt: null,
        tenants: 0,
        changedLines: 0,
        failedTenants: 0,
      });
    }
    // A retry can start while the execution it replaces still runs (its process stalled past the job's heartbeat):
    // the older one stops at its next write, so no write is ever sent by both.
    const attempt = await this.repository.startAttempt(organizationId, runId);
    const beforeWrite = async () => {
      if (!(await this.repository.isCurrentAttempt(organizationId, runId, attempt))) throw new RunTakenOverError();
    };
    try {
      return await this.runTenants(request, connection, attempt, beforeWrite);
    } catch (error) {
      if (!(error instanceof RunTakenOverError)) throw error;
      this.logger.warn({ organizationId, runId, attempt }, 'A newer execution of this PSA sync run took over; this one stopped');
      return null;
    }
  }

  private async runTenants(
    request: SyncRequest,
    connection: PsaConnection,
    attempt: number,
    beforeWrite: () => Promise<void>,
  ): Promise<SyncOutcome | null> {
    const { organizationId, runId } = request;
    const done = new Map((await this.repository.tenantResults(organizationId, runId)).map((r) => [r.tenantId, r]));
    const [tenantMappings, productMappings, approved, customers, zone] = await Promise.all([
      this.repository.tenantMappings(organizationId),
      this.repository.productMappings(organizationId),
      this.billing.approvedLines(organizationId),
      this.billing.customers(organizationId),
      this.billing.timeZone(organizationId),
    ]);
    const companyName = new Map(customers.map((c) => [c.tenantId, c.companyName]));
    const changeDate = dayIn(this.clock.now(), zone);
    const results: TenantSyncResult[] = [];
    for (const mapping of tenantMappings) {
      if (!companyName.has(mapping.tenantId)) continue; // no longer a billing customer
      const finished = done.get(mapping.tenantId);
      if (finished) {
        results.push(finished);
        continue;
      }
      const wanted = wantedLines(mapping.tenantId, approved, productMappings);
      const result = await this.syncTenant(connection, mapping, companyName.get(mapping.tenantId)!, wanted, productMappings, {
        changeDate,
        dryRun: request.dryRun,
        beforeWrite,
      });
      await this.repository.saveTenantResult(organizationId, runId, result);
      results.push(result);
    }
    const finishedAt = this.clock.now();
    const status = runStatusOf(results, request.dryRun);
    const changedLines = results.reduce((n, r) => n + r.lines.filter((l) => l.writes.length > 0 && r.status !== 'failed').length, 0);
    const failed = results.filter((r) => r.status === 'failed');
    await this.transaction.run(async () => {
      const finished = await this.repository.finishRun(organizationId, runId, attempt, {
        status,
        finishedAt,
        tenants: results.length,
        changedLines,
        failedTenants: failed.length,
      });
      if (!finished) throw new RunTakenOverError();
      if (request.dryRun) return;
      const payload: PsaSyncFinishedPayload = {
        runId,
        psa: connection.kind,
        trigger: request.trigger,
        tenants: results.length,
        changedLines,
        failedTenants: failed.length,
        failures: failed.map((r) => ({ tenantId: r.tenantId, companyName: r.companyName, message: r.message, fix: r.fix })),
      };
      this.outbox.publish(integrationEvent(failed.length ? PSA_SYNC_FAILED : PSA_SYNC_COMPLETED, organizationId, payload, finishedAt));
    });
    const run = (await this.repository.run(organizationId, runId))!;
    return { run, results };
  }

  private async syncTenant(
    connection: PsaConnection,
    mapping: TenantMapping,
    companyName: string,
    wanted: WantedLine[],
    products: ProductMapping[],
    options: { changeDate: string; dryRun: boolean; beforeWrite: () => Promise<void> },
  ): Promise<TenantSyncResult> {
    const base = { tenantId: mapping.tenantId, companyName };
    const productName = new Map(products.map((p) => [p.psaProductId, p.psaProductName]));
    try {
      const state = await this.gateway.agreementState(
        connection,
        mapping.agreementId,
        wanted.map((w) => w.productId),
        options.changeDate,
      );
      const planOptions = {
        changeDate: options.changeDate,
        period: state.period,
        prorate: state.prorates ? ('prorate' as const) : ('next-period' as const),
      };
      const plan =
        state.kind === 'connectwise'
          ? tagged('connectwise', planConnectWiseWrites(wanted, state.additions, planOptions))
          : tagged('autotask', planAutotaskWrites(wanted, state.services, planOptions));
      const lines = plan.lines.map((line): SyncLineResult =>
        lineResult(line, productName.get(line.productId) ?? line.productId, plan.writes),
      );
      const conflicts = lines.filter((l) => l.outcome === 'conflict');
      if (options.dryRun) {
        return {
          ...base,
          status: plan.writes.length || conflicts.length ? 'planned' : 'unchanged',
          message: plan.writes.length
            ? `${plan.writes.length} write${plan.writes.length === 1 ? '' : 's'} would be sent`
            : 'Nothing to write: the PSA already bills this',
          fix: conflicts[0]?.answer ?? null,
          lines,
        };
      }
      for (const write of plan.writes) {
        const line = lines.find((l) => l.psaProductId === productOf(write));
        await options.beforeWrite();
        try {
          const answer = await this.gateway.apply(connection, mapping.agreementId, write);
          if (line) line.answer = line.answer ? `${line.answer}; ${answer}` : answer;
        } catch (error) {
          if (!(error instanceof PsaRefusedError) || isRetryable(error)) throw error; // the job retries the run
          if (line) line.answer = error.message;
          return { ...base, status: 'failed', message: error.message, fix: error.fix ?? null, lines };
        }
      }
      if (conflicts.length)
        return { ...base, status: 'failed', message: conflicts[0].answer, fix: 'Resolve it in the PSA, then choose Sync now.', lines };
      return {
        ...base,
        status: plan.writes.length ? 'synced' : 'unchanged',
        message: plan.writes.length
          ? `${plan.writes.length} write${plan.writes.length === 1 ? '' : 's'} accepted`
          : 'Already right: nothing written',
        fix: null,
        lines,
      };
    } catch (error) {
      if (error instanceof PsaRefusedError && !isRetryable(error)) {
        this.logger.warn({ tenantId: mapping.tenantId, code: error.code }, 'PSA refused a tenant’s sync');
        return { ...base, status: 'failed', message: error.message, fix: error.fix ?? null, lines: [] };
      }
      throw error;
    }
  }
}

// This execution of a run is no longer its newest (see startAttempt): it stops without writing.
class RunTakenOverError extends Error {}

function isRetryable(error: PsaRefusedError): boolean {
  return error instanceof RetryablePsaError;
}

// The approved invoice's quantity of every mapped product (0 when the tenant no longer has it: its line is cancelled).
export function wantedLines(tenantId: string, approved: readonly ApprovedInvoiceLine[], products: readonly ProductMapping[]): WantedLine[] {
  const lines = approved.filter((l) => l.tenantId === tenantId);
  return products.map((p) => {
    const mine = lines.filter((l) => l.productKey === p.productKey);
    const quantity = mine.reduce((n, l) => n + l.quantity, 0);
    return {
      productId: p.psaProductId,
      quantity,
      unitPrice: mine[0]?.unitPrice ?? '0',
      description: mine[0]?.productName ?? p.psaProductName,
    };
  });
}

function lineResult(line: PlannedLine, name: string, writes: PsaWrite[]): SyncLineResult {
  const mine = writes.filter((w) => productOf(w) === line.productId);
  return {
    productName: name,
    psaProductId: line.productId,
    before: line.before,
    after: line.after,
    outcome: line.outcome,
    writes: mine.map(describeWrite),
    answer: line.problem ?? '',
  };
}

function productOf(write: PsaWrite): string {
  return write.kind === 'connectwise' ? write.write.productId : write.write.serviceId;
}

function tagged(
  kind: 'connectwise',
  plan: { lines: PlannedLine[]; writes: ConnectWiseWrite[] },
): { lines: PlannedLine[]; writes: PsaWrite[] };
function tagged(kind: 'autotask', plan: { lines: PlannedLine[]; writes: AutotaskWrite[] }): { lines: PlannedLine[]; writes: PsaWrite[] };
function tagged(
  kind: 'connectwise' | 'autotask',
  plan: { lines: PlannedLine[]; writes: (ConnectWiseWrite | AutotaskWrite)[] },
): { lines: PlannedLine[]; writes: PsaWrite[] } {
  return { lines: plan.lines, writes: plan.writes.map((write) => ({ kind, write }) as PsaWrite) };
}

export function describeWrite(write: PsaWrite): string {
  if (write.kind === 'autotask') {
    const w = write.write;
    return `Adjust units by ${w.unitChange > 0 ? '+' : ''}${w.unitChange} effective ${w.effectiveDate}${w.contractServiceId === null ? ' (adds the service to the contract)' : ''}`;
  }
  const w = write.write;
  switch (w.kind) {
    case 'create-addition':
      return `Add addition: ${w.quantity} at ${w.unitPrice}, effective ${w.effectiveDate}`;
    case 'change-addition':
      return `Change addition ${w.additionId}:${w.quantity !== undefined ? ` quantity ${w.quantity}` : ''}${w.unitPrice !== undefined ? ` unit price ${w.unitPrice}` : ''}`;
    case 'cancel-addition':
      return `Cancel addition ${w.additionId} on ${w.cancelledDate}`;
    case 'add-prorate-delta':
      return `Add prorated addition: ${w.quantity > 0 ? '+' : ''}${w.quantity} from ${w.effectiveDate} to ${w.cancelledDate}`;
  }
}

// The calendar day in the organization's time zone (YYYY-MM-DD): changes are billed from the partner's today.
export function dayIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
