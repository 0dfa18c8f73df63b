import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent, type IntegrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { LicenceHoldings } from '../../licensing';
import type { ImportFinishedPayload } from '../../tenants/events';
import {
  DISCREPANCY_CLOSED,
  DISCREPANCY_OPENED,
  LICENCE_CHANGED,
  QUANTITY_CHANGED,
  RECONCILIATION_COMPLETED,
  type DiscrepancyPayload,
  type LicensingChangePayload,
  type ReconciliationCompletedPayload,
} from '../events';
import { changesBetween, compareTenants, findDiscrepancies, monthEndsBetween, type LicensingChange, type TenantPicture } from '../domain';
import { ExclusionsRepository } from './ports/exclusions.repository';
import {
  ReconciliationRepository,
  type ReconciliationRunRecord,
  type OpenDiscrepancy,
  type RunTenant,
  type TenantOutcome,
} from './ports/reconciliation.repository';

const SEAT_CHANGES = new Set<LicensingChange['kind']>(['sku.purchased-changed', 'sku.assigned-changed', 'subscription.quantity-changed']);

// Tenants compared, written and published together: what a finalize holds in memory at once does not grow with the
// organization (10,000 tenants at once held ~170 MB of pictures, rows and events at the peak).
export const FINALIZE_CHUNK_TENANTS = 1000;
// Injection token: another chunk size (tests make a few tenants span several chunks).
export const FINALIZE_CHUNK_SIZE = Symbol('FINALIZE_CHUNK_SIZE');

// A finished import of one delegated admin's customers becomes a reconciliation run: what every tenant holds now
// is snapshotted (kept unchanged from then on), compared with that account's previous run (changes) and checked
// (discrepancies, less what exclusions silence). Every change and every discrepancy opened or closed goes out as a
// durable event. The first run of a month after a month ended freezes the previous run as that month's snapshot.
// Changes and discrepancies are each about one tenant, so the tenants are taken a chunk at a time, in the order
// people read them (the order of the changes), all in one transaction.
@Injectable()
export class FinalizeReconciliationUseCase {
  constructor(
    private readonly runs: ReconciliationRepository,
    private readonly exclusions: ExclusionsRepository,
    private readonly licences: LicenceHoldings,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    @Optional() @Inject(FINALIZE_CHUNK_SIZE) private readonly chunkTenants: number = FINALIZE_CHUNK_TENANTS,
  ) {}

  async execute(organizationId: string, finished: ImportFinishedPayload): Promise<ReconciliationRunRecord | null> {
    return this.transaction.run(async () => {
      // One finalize per organization at a time: runs and their changes are recorded in order, so a reader
      // following the changes feed by time never misses one committed late.
      await this.runs.lockOrganization(organizationId);
      // At least once: the same import is never reconciled twice.
      if (await this.runs.findByImportRun(organizationId, finished.importRunId)) return null;
      const now = this.clock.now();
      const previous = await this.runs.previousRun(organizationId, finished.delegatedAdminId);
      // An import that began before the account's latest run (an event delayed or redelivered) has nothing newer.
      if (previous && new Date(finished.startedAt) < previous.startedAt) return null;
      const previousTenants = previous ? await this.runs.tenantsOfRun(organizationId, previous.id) : null;

      // A refused customer list reads no tenant: every tenant of the previous run is reported unreadable, with why.
      // (A list that was read and is empty means the tenants are gone: they show as removed.)
      const outcomes: TenantOutcome[] =
        finished.status === 'failed' && previousTenants
          ? previousTenants.map((tenant) => ({
              tenantId: tenant.tenantId,
              companyName: tenant.companyName,
              read: false,
              failureReason: finished.error ?? 'The customer list could not be read.',
            }))
          : finished.tenants.map((tenant) => ({
              tenantId: tenant.tenantId,
              companyName: tenant.companyName,
              read: tenant.read,
              failureReason: tenant.reason,
            }));
      const timeZone = await this.runs.timeZoneOf(organizationId);
      const exclusions = await this.exclusions.list(organizationId);

      // The row first (the snapshot's rows refer to it), its counts once every chunk is in.
      const run: ReconciliationRunRecord = {
        id: randomUUID(),
        organizationId,
        delegatedAdminId: finished.delegatedAdminId,
        importRunId: finished.importRunId,
        trigger: finished.trigger,
        startedAt: new Date(finished.startedAt),
        // When the import ended: what the snapshot shows is Microsoft's picture at that moment (and so the month
        // it belongs to).
        finishedAt: new Date(finished.finishedAt),
        tenantsRead: outcomes.filter((tenant) => tenant.read).length,
        tenantsFailed: outcomes.filter((tenant) => !tenant.read).length,
        changes: 0,
        openDiscrepancies: 0,
        error: finished.error,
      };
      await this.runs.insertRun(run);
      if (previous) {
        for (const month of monthEndsBetween(previous.finishedAt, run.finishedAt, timeZone))
          await this.runs.freezeMonthEnd(organizationId, run.delegatedAdminId, month, previous.id, now);
      }

      // What was open in the previous run, read once (a few MB at 10,000 tenants; read per chunk it scanned the
      // previous run's discrepancies once per chunk), by tenant: a discrepancy is about one tenant, so only those of a
      // chunk's tenants can close in that chunk.
      const wasOpenByTenant = new Map<string, Map<string, OpenDiscrepancy>>();
      if (previous) {
        for (const [key, open] of await this.runs.openDiscrepancyKeys(organizationId, previous.id)) {
          const ofTenant = wasOpenByTenant.get(open.tenantId) ?? new Map<string, OpenDiscrepancy>();
          wasOpenByTenant.set(open.tenantId, ofTenant.set(key, open));
        }
      }

      for (const chunk of this.chunks(outcomes, previousTenants)) {
        const before = previous ? await this.runs.picturesOfRun(organizationId, previous.id, chunk.tenantIds) : null;
        const current = await this.currentPictures(organizationId, chunk.outcomes);
        const changes = changesBetween(before, current, { timeZone });
        const findings = findDiscrepancies(current, now, exclusions, { timeZone });
        const changeIds = await this.runs.saveTenants(run, current, changes, findings, now);
        run.changes += changes.length;
        run.openDiscrepancies += findings.open.length;

        // A chunk's events at once (a first run opens one event per discrepancy: tens of thousands in all).
        const events: IntegrationEvent<object>[] = [];
        const publish = <P extends object>(name: string, payload: P) =>
          void events.push(integrationEvent<P>(name, organizationId, payload, now));
        changes.forEach((change, index) =>
          publish<LicensingChangePayload>(SEAT_CHANGES.has(change.kind) ? QUANTITY_CHANGED : LICENCE_CHANGED, {
            runId: run.id,
            changeId: changeIds[index],
            ...change,
          }),
        );
        const wasOpen = new Map(chunk.tenantIds.flatMap((tenantId) => [...(wasOpenByTenant.get(tenantId) ?? [])]));
        const nowOpen = new Set(findings.open.map((discrepancy) => discrepancy.key));
        for (const discrepancy of findings.open.filter((d) => !wasOpen.has(d.key))) {
          publish<DiscrepancyPayload>(DISCREPANCY_OPENED, {
            runId: run.id,
            key: discrepancy.key,
            kind: discrepancy.kind,
            tenantId: discrepancy.tenantId,
            skuId: discrepancy.skuId,
            subscriptionId: discrepancy.subscriptionId,
            title: discrepancy.title,
          });
        }
        for (const [key, closed] of wasOpen) {
          if (!nowOpen.has(key)) publish<DiscrepancyPayload>(DISCREPANCY_CLOSED, { runId: run.id, key, ...closed });
        }
        await this.outbox.publishAll(events);
      }

      await this.runs.recordCounts(run);
      await this.outbox.publishAll([
        integrationEvent<ReconciliationCompletedPayload>(
          RECONCILIATION_COMPLETED,
          organizationId,
          {
            runId: run.id,
            delegatedAdminId: run.delegatedAdminId,
            importRunId: run.importRunId,
            tenantsRead: run.tenantsRead,
            tenantsFailed: run.tenantsFailed,
            changes: run.changes,
            openDiscrepancies: run.openDiscrepancies,
          },
          now,
        ),
      ]);
      return run;
    });
  }

  // Every tenant of this run and every tenant of the previous run it no longer lists (removed), in the order the
  // changes are read (removed ones by their previous name), cut into chunks: a tenant is in exactly one chunk, with
  // its outcomes of this run (none when removed).
  private chunks(
    outcomes: TenantOutcome[],
    previousTenants: RunTenant[] | null,
  ): Array<{ tenantIds: string[]; outcomes: TenantOutcome[] }> {
    const named = new Map<string, RunTenant>();
    // The last outcome of a tenant names it, as the comparison (by tenant) keeps the last one.
    for (const outcome of outcomes) named.set(outcome.tenantId, { tenantId: outcome.tenantId, companyName: outcome.companyName });
    for (const tenant of previousTenants ?? []) if (!named.has(tenant.tenantId)) named.set(tenant.tenantId, tenant);
    const ordered = [...named.values()].sort(compareTenants);
    const chunkOf = new Map<string, number>();
    const chunks = [];
    const size = Math.max(1, this.chunkTenants);
    for (let start = 0; start < ordered.length; start += size) {
      const tenantIds = ordered.slice(start, start + size).map((tenant) => tenant.tenantId);
      for (const tenantId of tenantIds) chunkOf.set(tenantId, chunks.length);
      chunks.push({ tenantIds, outcomes: [] as TenantOutcome[] });
    }
    for (const outcome of outcomes) chunks[chunkOf.get(outcome.tenantId)!].outcomes.push(outcome);
    return chunks;
  }

  // What the licence records say now about these tenants (failed ones keep their last known values there).
  private async currentPictures(organizationId: string, tenants: TenantOutcome[]): Promise<TenantPicture[]> {
    const holdings = await this.licences.of(
      organizationId,
      tenants.map((tenant) => tenant.tenantId),
    );
    return tenants.map((tenant) => {
      const held = holdings.get(tenant.tenantId);
      return {
        ...tenant,
        skus: held?.skus ?? [],
        subscriptions: held?.subscriptions ?? [],
        licencesUnreadable: held?.licencesUnreadable ?? null,
      };
    });
  }
}
