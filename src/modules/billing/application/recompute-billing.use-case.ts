import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { groupBy } from '../../../shared/domain/group-by';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { lineChanges, planApprovals, type LineChange } from '../domain/approval';
import { invoiceTotal, type InvoiceLine } from '../domain/invoice-line';
import { amountText } from '../domain/money';
import {
  BILLING_APPROVAL_NEEDED,
  BILLING_PREVIEW_CHANGED,
  type BillingApprovalNeededPayload,
  type BillingPreviewChangedPayload,
} from '../events';
import { InvoicePreviewQueries } from './invoice-preview.queries';
import { BillingRepository, type TenantTotal } from './ports/billing.repository';

export const SYSTEM_NAME = 'Sync 365';

export interface RecomputeOutcome {
  tenants: number;
  baselineRecorded: boolean;
  applied: number;
  queued: number;
  withdrawn: number;
  previewsChanged: number;
}

// Brings the approved invoices up to date with the preview (after a reconciliation, or a change of profiles or
// settings): the organization's first preview becomes its approved invoice (what it bills today); after that,
// changes within the rules apply at once and the others wait for a person. Publishes billing.preview-changed per
// tenant whose preview moved and billing.approval-needed per change that now waits.
@Injectable()
export class RecomputeBillingUseCase {
  constructor(
    private readonly preview: InvoicePreviewQueries,
    private readonly billing: BillingRepository,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  // `newlyMapped`: SKUs a person just gave a profile. Their lines that were not on any invoice go on at once: the
  // person pricing a product the customers already have is the decision (audited as the profile change).
  async execute(organizationId: string, options: { newlyMapped?: readonly string[] } = {}): Promise<RecomputeOutcome> {
    const newlyMapped = new Set((options.newlyMapped ?? []).map((sku) => sku.toLowerCase()));
    return this.transaction.run(async () => {
      const now = this.clock.now();
      const settings = await this.billing.settings(organizationId);
      const byTenant = new Map<string, InvoiceLine[]>();
      let period = '';
      let companyNames = new Map<string, string>();
      for await (const { inputs, lines } of this.preview.lines(organizationId)) {
        period = inputs.period;
        if (companyNames.size === 0) companyNames = new Map(inputs.customers.map((c) => [c.tenantId, c.companyName]));
        for (const line of lines) {
          const ofTenant = byTenant.get(line.tenantId);
          if (ofTenant) ofTenant.push(line);
          else byTenant.set(line.tenantId, [line]);
        }
      }
      if (!period) period = await this.preview.comingPeriod(organizationId);
      const approved = await this.billing.approvedLines(organizationId);
      const pending = await this.billing.approvals(organizationId, { status: 'pending', limit: 1_000_000 });
      const rejected = await this.billing.latestRejected(organizationId);
      const previousTotals = await this.billing.tenantTotals(organizationId);
      const approvedByTenant = groupBy(approved, (item) => item.tenantId);
      const pendingByTenant = groupBy(pending, (item) => item.tenantId);
      const rejectedByTenant = groupBy(rejected, (item) => item.tenantId);
      const tenantIds = new Set([...byTenant.keys(), ...approvedByTenant.keys()].filter((id) => companyNames.has(id)));

      const apply: LineChange[] = [];
      const queued: { change: LineChange; id: string | null }[] = [];
      const withdraw: string[] = [];
      // The organization's first preview with a price in it becomes what it bills today.
      const baseline =
        settings.baselineRecordedAt === null && [...byTenant.values()].some((lines) => lines.some((l) => l.status === 'billable'));
      for (const tenantId of tenantIds) {
        const changes = lineChanges(tenantId, byTenant.get(tenantId) ?? [], approvedByTenant.get(tenantId) ?? []);
        if (baseline) {
          apply.push(...changes);
          continue;
        }
        const mapped = changes.filter((c) => c.kind === 'new' && newlyMapped.has(c.skuId));
        apply.push(...mapped);
        const rest = changes.filter((c) => !mapped.includes(c));
        const plan = planApprovals({
          changes: rest,
          pending: pendingByTenant.get(tenantId) ?? [],
          rejected: rejectedByTenant.get(tenantId) ?? [],
          settings,
        });
        apply.push(...plan.apply);
        queued.push(...plan.queue.map(({ id, ...change }) => ({ change, id })));
        withdraw.push(...plan.withdraw);
      }

      await this.billing.applyChanges(organizationId, apply, now, SYSTEM_NAME);
      for (const id of withdraw) await this.billing.decideApproval(organizationId, id, 'withdrawn', now, SYSTEM_NAME);
      for (const { change, id } of queued) {
        const approvalId = id ?? randomUUID();
        if (id) await this.billing.updatePendingApproval(organizationId, id, change);
        else await this.billing.addApproval(organizationId, { ...change, id: approvalId, createdAt: now });
        this.outbox.publish(
          integrationEvent<BillingApprovalNeededPayload>(
            BILLING_APPROVAL_NEEDED,
            organizationId,
            approvalNeeded(approvalId, change, companyNames.get(change.tenantId) ?? '', settings.currency),
            now,
          ),
        );
      }
      if (baseline) {
        await this.billing.markBaselineRecorded(organizationId, now);
        this.audit.record({
          organizationId,
          actorUserId: null,
          actorName: SYSTEM_NAME,
          action: 'billing.baseline-recorded',
          subject: `${tenantIds.size} customer${tenantIds.size === 1 ? '' : 's'}`,
          outcome: 'success',
          detail: `The first invoice preview became the approved invoice (${apply.length} lines); changes from now on follow the approval rules.`,
        });
      } else if (apply.length > 0) {
        this.audit.record({
          organizationId,
          actorUserId: null,
          actorName: SYSTEM_NAME,
          action: 'billing.changes-applied',
          subject: `${apply.length} invoice line${apply.length === 1 ? '' : 's'}`,
          outcome: 'success',
          detail: settings.autoApproveIncreases
            ? 'Increases apply automatically, and changes within the approval threshold.'
            : 'Changes within the approval threshold.',
        });
      }

      // Which previews moved: their billable lines (and what is not mapped) compared with the last computation.
      const totals: TenantTotal[] = [...companyNames.keys()].map((tenantId) => ({
        tenantId,
        ...fingerprinted(byTenant.get(tenantId) ?? []),
      }));
      const before = new Map(previousTotals.map((t) => [t.tenantId, t]));
      const changed = totals.filter((t) => before.get(t.tenantId)?.fingerprint !== t.fingerprint);
      // The first computation of an organization announces nothing: there is no "before" to have changed from.
      if (previousTotals.length > 0) {
        for (const total of changed) {
          const lines = byTenant.get(total.tenantId) ?? [];
          const previous = before.get(total.tenantId);
          this.outbox.publish(
            integrationEvent<BillingPreviewChangedPayload>(
              BILLING_PREVIEW_CHANGED,
              organizationId,
              {
                tenantId: total.tenantId,
                companyName: companyNames.get(total.tenantId) ?? '',
                period,
                currency: settings.currency,
                previousTotal: previous ? amountText(previous.total) : null,
                total: amountText(total.total),
                notMappedLines: lines.filter((l) => l.status === 'not-mapped').length,
              },
              now,
            ),
          );
        }
      }
      if (changed.length > 0) await this.billing.saveTenantTotals(organizationId, changed, now);
      return {
        tenants: tenantIds.size,
        baselineRecorded: baseline,
        applied: apply.length,
        queued: queued.length,
        withdrawn: withdraw.length,
        previewsChanged: previousTotals.length > 0 ? changed.length : 0,
      };
    });
  }
}

function fingerprinted(lines: readonly InvoiceLine[]): { total: ReturnType<typeof invoiceTotal>; fingerprint: string } {
  const parts = lines
    .map((l) => `${l.lineKey}|${l.status}|${l.quantity}|${l.unitPrice?.toFixed(4) ?? ''}|${l.amount?.toFixed(2) ?? ''}|${l.productName}`)
    .sort()
    .join('\n');
  return { total: invoiceTotal(lines), fingerprint: createHash('sha256').update(parts).digest('hex') };
}

function approvalNeeded(approvalId: string, change: LineChange, companyName: string, currency: string): BillingApprovalNeededPayload {
  return {
    approvalId,
    tenantId: change.tenantId,
    companyName,
    skuId: change.skuId,
    kind: change.kind,
    productName: (change.after ?? change.before)!.productName,
    currency,
    quantityBefore: change.before?.quantity ?? null,
    quantityAfter: change.after?.quantity ?? null,
    amountBefore: change.before ? amountText(change.before.amount) : null,
    amountAfter: change.after ? amountText(change.after.amount) : null,
    delta: amountText(change.delta),
  };
}
