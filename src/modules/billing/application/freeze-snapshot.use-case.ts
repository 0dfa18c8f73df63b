import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { InvalidBillingInputError } from '../domain/billing.errors';
import { sum } from '../domain/money';
import { isPeriod, periodLabel, periodOf, previousPeriod } from '../domain/period';
import { InvoicePreviewQueries } from './invoice-preview.queries';
import { BillableLicences } from './ports/billable-licences.port';
import { BillingRepository, type Snapshot, type SnapshotLine } from './ports/billing.repository';
import { SYSTEM_NAME } from './recompute-billing.use-case';
import { type ActingParty } from '../../../shared/application/actor';

// A month's billing, frozen: what was on the approved invoices when it was taken (what the partner invoices), each
// line with what it was computed from. Written once per period; freezing again returns the same snapshot, and the
// database refuses to change or delete its rows.
@Injectable()
export class FreezeSnapshotUseCase {
  constructor(
    private readonly preview: InvoicePreviewQueries,
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(actor: ActingParty | null, organizationId: string, period: string): Promise<{ snapshot: Snapshot; created: boolean }> {
    if (!isPeriod(period))
      throw new InvalidBillingInputError('The month must be written YYYY-MM, such as 2026-11.', 'Pick the month from the list.', 'period');
    const current = periodOf(this.clock.now(), await this.licences.timeZone(organizationId));
    if (period > current)
      throw new InvalidBillingInputError(
        `${periodLabel(period)} has not begun yet.`,
        `Freeze ${periodLabel(current)} or an earlier month.`,
        'period',
      );
    const existing = await this.billing.snapshot(organizationId, period);
    if (existing) return { snapshot: existing, created: false };
    return this.transaction.run(async () => {
      const lines = await this.snapshotLines(organizationId);
      const settings = await this.billing.settings(organizationId);
      const frozenAt = this.clock.now();
      const name = actor?.name ?? SYSTEM_NAME;
      const snapshot = {
        id: randomUUID(),
        period,
        currency: settings.currency,
        total: sum(lines.filter((l) => l.amount !== null).map((l) => l.amount!)),
        frozenAt,
        frozenByName: name,
      };
      if (!(await this.billing.createSnapshot(organizationId, snapshot, lines))) {
        // Another instance froze the same month in the meantime: theirs stands.
        return { snapshot: (await this.billing.snapshot(organizationId, period))!, created: false };
      }
      this.audit.record({
        organizationId,
        actorUserId: actor?.userId ?? null,
        actorName: name,
        action: 'billing.snapshot-frozen',
        subject: periodLabel(period),
        outcome: 'success',
        detail: `${lines.length} lines, total ${snapshot.currency} ${snapshot.total.toFixed(2)}`,
      });
      return { snapshot: { ...snapshot, lines: lines.length }, created: true };
    });
  }

  // The first reconciliation after a month ends freezes that month, when billing was already running during it.
  async afterMonthEnd(organizationId: string): Promise<boolean> {
    const settings = await this.billing.settings(organizationId);
    if (settings.baselineRecordedAt === null) return false;
    const timeZone = await this.licences.timeZone(organizationId);
    const ended = previousPeriod(periodOf(this.clock.now(), timeZone));
    if (periodOf(settings.baselineRecordedAt, timeZone) > ended) return false;
    return (await this.execute(null, organizationId, ended)).created;
  }

  private async snapshotLines(organizationId: string): Promise<SnapshotLine[]> {
    // Inside the freezing transaction: one read at a time on its connection.
    const approved = await this.billing.approvedLines(organizationId);
    const mappings = await this.billing.mappings(organizationId);
    const customers = await this.licences.customers(organizationId);
    const customerOf = new Map(customers.map((c) => [c.tenantId, c]));
    const accountOf = new Map(mappings.filter((m) => m.status === 'confirmed').map((m) => [m.tenantId, m.accountName]));
    const approvedOf = new Map(approved.map((a) => [`${a.tenantId}|${a.lineKey}`, a]));
    const lines: SnapshotLine[] = [];
    const seen = new Set<string>();
    for await (const batch of this.preview.lines(organizationId, customers)) {
      for (const line of batch.lines) {
        const customer = customerOf.get(line.tenantId);
        if (!customer) continue;
        const key = `${line.tenantId}|${line.lineKey}`;
        seen.add(key);
        const invoiced = approvedOf.get(key);
        const inputs = {
          profileId: line.profileId,
          profileScope: line.profileScope,
          termDuration: line.termDuration,
          billingCycle: line.billingCycle,
          previewStatus: line.status,
          previewQuantity: line.quantity,
          previewUnitPrice: line.unitPrice?.toFixed(4) ?? null,
          previewAmount: line.amount?.toFixed(2) ?? null,
          previewWhy: line.why,
        };
        const common = {
          tenantId: line.tenantId,
          companyName: customer.companyName,
          accountName: accountOf.get(line.tenantId) ?? null,
          skuId: line.skuId,
          microsoftProduct: line.microsoftProduct,
          purchased: line.purchased,
          assigned: line.assigned,
          inputs,
        };
        if (invoiced) {
          const differs = invoiced.quantity !== line.quantity || line.amount === null || !invoiced.amount.equals(line.amount);
          lines.push({
            ...common,
            productName: invoiced.productName,
            productCode: line.productCode,
            status: 'billable',
            quantity: invoiced.quantity,
            unitPrice: invoiced.unitPrice,
            amount: invoiced.amount,
            why: differs
              ? `As approved; the preview now says ${line.why.charAt(0).toLowerCase()}${line.why.slice(1)} (waiting for approval)`
              : line.why,
          });
        } else {
          const status = line.status === 'billable' ? 'awaiting-approval' : line.status;
          lines.push({
            ...common,
            productName: line.productName,
            productCode: line.productCode,
            status,
            quantity: line.quantity,
            unitPrice: line.unitPrice,
            amount: null,
            why: line.why,
          });
        }
      }
    }
    // Approved lines of products a customer no longer has stay invoiced until someone approves their removal.
    for (const a of approved) {
      const customer = customerOf.get(a.tenantId);
      if (seen.has(`${a.tenantId}|${a.lineKey}`) || !customer) continue;
      lines.push({
        tenantId: a.tenantId,
        companyName: customer.companyName,
        accountName: accountOf.get(a.tenantId) ?? null,
        skuId: a.skuId,
        microsoftProduct: a.productName,
        productName: a.productName,
        productCode: null,
        status: 'billable',
        purchased: 0,
        assigned: 0,
        quantity: a.quantity,
        unitPrice: a.unitPrice,
        amount: a.amount,
        why: 'As approved; the customer no longer has this product (removal waiting for approval)',
        inputs: { previewStatus: 'removed' },
      });
    }
    return lines.sort(
      (x, y) =>
        x.companyName.localeCompare(y.companyName) ||
        (x.tenantId < y.tenantId ? -1 : x.tenantId > y.tenantId ? 1 : 0) ||
        x.productName.localeCompare(y.productName) ||
        (x.skuId < y.skuId ? -1 : 1),
    );
  }
}
