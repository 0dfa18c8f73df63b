import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { EventOutbox } from '../../../../shared/application/integration-event';
import { AuditTrail, type AuditEntryInput } from '../../../audit';
import type { ApprovedInvoiceLine, BilledProduct, BillingCustomer, BillingForPsaQueries } from '../../../billing';
import { PsaGateway, type PsaAgreementState, type PsaWrite } from '../../application/ports/psa-gateway.port';
import { PsaSyncRepository } from '../../application/ports/psa-sync.repository';
import type { PsaConnection } from '../../domain/psa-connection';
import type { PsaAgreement, PsaCompany, PsaProduct, ProductMapping, TenantMapping } from '../../domain/psa-mapping';
import type { SyncRun, TenantSyncResult } from '../../domain/psa-sync-run';

// Fakes for the use-case tests (no database, no PSA).
export class InMemoryPsaSyncRepository extends PsaSyncRepository {
  connections = new Map<string, PsaConnection>();
  tenantRows = new Map<string, TenantMapping[]>();
  productRows = new Map<string, ProductMapping[]>();
  runRows: SyncRun[] = [];
  results = new Map<string, TenantSyncResult[]>();

  async connection(organizationId: string) {
    return this.connections.get(organizationId) ?? null;
  }
  async saveConnection(connection: PsaConnection) {
    this.connections.set(connection.organizationId, structuredClone(connection));
  }
  async removeConnection(organizationId: string) {
    this.tenantRows.delete(organizationId);
    this.productRows.delete(organizationId);
    return this.connections.delete(organizationId);
  }
  async tenantMappings(organizationId: string) {
    return [...(this.tenantRows.get(organizationId) ?? [])];
  }
  async saveTenantMapping(organizationId: string, mapping: TenantMapping) {
    this.tenantRows.set(organizationId, [
      ...(this.tenantRows.get(organizationId) ?? []).filter((m) => m.tenantId !== mapping.tenantId),
      mapping,
    ]);
  }
  async productMappings(organizationId: string) {
    return [...(this.productRows.get(organizationId) ?? [])];
  }
  async saveProductMapping(organizationId: string, mapping: ProductMapping) {
    this.productRows.set(organizationId, [
      ...(this.productRows.get(organizationId) ?? []).filter((m) => m.productKey !== mapping.productKey),
      mapping,
    ]);
  }
  async createRun(run: SyncRun) {
    if (this.runRows.some((r) => r.id === run.id)) return false;
    this.runRows.push({ ...run });
    return true;
  }
  readonly attempts = new Map<string, number>();
  async startAttempt(_organizationId: string, runId: string) {
    const attempt = (this.attempts.get(runId) ?? 0) + 1;
    this.attempts.set(runId, attempt);
    return attempt;
  }
  async isCurrentAttempt(_organizationId: string, runId: string, attempt: number) {
    return this.attempts.get(runId) === attempt;
  }
  async finishRun(
    organizationId: string,
    runId: string,
    attempt: number,
    values: Pick<SyncRun, 'status' | 'finishedAt' | 'tenants' | 'changedLines' | 'failedTenants'>,
  ) {
    const run = this.runRows.find((r) => r.organizationId === organizationId && r.id === runId);
    if (!run || this.attempts.get(runId) !== attempt) return false;
    Object.assign(run, values);
    return true;
  }
  async saveTenantResult(_organizationId: string, runId: string, result: TenantSyncResult) {
    this.results.set(runId, [...(this.results.get(runId) ?? []).filter((r) => r.tenantId !== result.tenantId), structuredClone(result)]);
  }
  async stopStaleRuns(organizationId: string, startedBefore: Date, at: Date) {
    const stale = this.runRows.filter((r) => r.organizationId === organizationId && r.status === 'running' && r.startedAt < startedBefore);
    for (const run of stale) Object.assign(run, { status: 'stopped', finishedAt: at });
    return stale.length;
  }
  async run(organizationId: string, runId: string) {
    const run = this.runRows.find((r) => r.organizationId === organizationId && r.id === runId);
    return run ? { ...run } : null;
  }
  async runs(organizationId: string, options: { limit: number }) {
    return this.runRows
      .filter((r) => r.organizationId === organizationId)
      .slice(-options.limit)
      .reverse();
  }
  async tenantResults(organizationId: string, runId: string) {
    return this.runRows.some((r) => r.organizationId === organizationId && r.id === runId)
      ? structuredClone(this.results.get(runId) ?? [])
      : [];
  }
}

// A PSA in memory: agreements as lists of lines; every write is recorded; a failure can be queued per call.
export class FakePsaGateway extends PsaGateway {
  companiesList: PsaCompany[] = [];
  agreementsList: PsaAgreement[] = [];
  productsList: PsaProduct[] = [];
  states = new Map<string, PsaAgreementState>();
  writes: { agreementId: string; write: PsaWrite }[] = [];
  testFailure: Error | null = null;
  failures: { agreementId: string; error: Error }[] = [];
  private nextId = 1000;

  async test() {
    if (this.testFailure) throw this.testFailure;
    return {};
  }
  async companies() {
    return this.companiesList;
  }
  async agreements() {
    return this.agreementsList;
  }
  async products() {
    return this.productsList;
  }
  // Like ConnectWise's _info.lastUpdated: every write moves it.
  private changes = 0;
  private stamp(): string {
    return `2026-12-10T00:00:${String(++this.changes).padStart(2, '0')}Z`;
  }

  async agreementState(_connection: PsaConnection, agreementId: string) {
    const state = this.states.get(agreementId);
    if (!state) throw new Error(`No agreement ${agreementId}`);
    return structuredClone(state);
  }
  async apply(_connection: PsaConnection, agreementId: string, write: PsaWrite) {
    const failure = this.failures.findIndex((f) => f.agreementId === agreementId);
    if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
    this.writes.push({ agreementId, write });
    const state = this.states.get(agreementId)!;
    if (state.kind === 'connectwise' && write.kind === 'connectwise') {
      const w = write.write;
      if (w.kind === 'create-addition')
        state.additions.push({
          id: this.nextId++,
          productId: w.productId,
          quantity: w.quantity,
          unitPrice: w.unitPrice,
          effectiveDate: w.effectiveDate,
          cancelledDate: null,
          serialNumber: null,
          lastUpdated: this.stamp(),
        });
      if (w.kind === 'add-prorate-delta')
        state.additions.push({
          id: this.nextId++,
          productId: w.productId,
          quantity: w.quantity,
          unitPrice: w.unitPrice,
          effectiveDate: w.effectiveDate,
          cancelledDate: w.cancelledDate,
          serialNumber: w.serialNumber,
          lastUpdated: this.stamp(),
        });
      if (w.kind === 'change-addition')
        Object.assign(
          state.additions.find((a) => a.id === w.additionId)!,
          {
            lastUpdated: this.stamp(),
            ...(w.quantity !== undefined ? { quantity: w.quantity } : {}),
            ...(w.unitPrice !== undefined ? { unitPrice: w.unitPrice } : {}),
          },
        );
      if (w.kind === 'cancel-addition') state.additions.find((a) => a.id === w.additionId)!.cancelledDate = w.cancelledDate;
    }
    if (state.kind === 'autotask' && write.kind === 'autotask') {
      const w = write.write;
      const service = state.services.find((s) => s.serviceId === w.serviceId);
      if (service) service.units += w.unitChange;
      else
        state.services.push({
          contractServiceId: this.nextId++,
          serviceId: w.serviceId,
          units: w.unitChange,
          unitPrice: w.adjustedUnitPrice,
        });
    }
    return `write ${this.writes.length} accepted`;
  }
}

export class FakeBillingForPsa {
  customersList: BillingCustomer[] = [];
  productsList: BilledProduct[] = [];
  lines: ApprovedInvoiceLine[] = [];

  async customers() {
    return this.customersList;
  }
  async timeZone() {
    return 'Europe/Amsterdam';
  }
  async products() {
    return this.productsList;
  }
  async approvedLines(_organizationId: string, tenantId?: string) {
    return this.lines.filter((l) => !tenantId || l.tenantId === tenantId);
  }

  asQueries(): BillingForPsaQueries {
    return this as unknown as BillingForPsaQueries;
  }
}

export class RecordingAudit extends AuditTrail {
  entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}

export class RecordingEvents extends EventOutbox {
  events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}
