import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { lineChanges, type ApprovedLine, type LineChange } from '../domain/approval';
import { CustomerTenantNotFoundError } from '../domain/billing.errors';
import { profilesBySku, resolveProfile, type BillingProfile } from '../domain/billing-profile';
import { invoiceLine, invoiceTotal, isShownApart, type InvoiceLine } from '../domain/invoice-line';
import { sum, ZERO, type Amount } from '../domain/money';
import { nextPeriod, periodOf } from '../domain/period';
import { BillableLicences, type BillingCustomer } from './ports/billable-licences.port';
import { BillingRepository, type CompanyMapping, type StoredApproval } from './ports/billing.repository';

export interface PreviewLine extends InvoiceLine {
  approved: ApprovedLine | null;
  // The change since the approved invoice (amount now − amount approved); null when the line proposes nothing.
  change: LineChange | null;
  pending: StoredApproval | null;
}

export interface TenantPreview {
  period: string;
  currency: string;
  customer: BillingCustomer;
  mapping: CompanyMapping | null;
  // On the invoice or mapped but not billed, and not mapped: in product order.
  lines: PreviewLine[];
  // Seats sold by another partner and excluded SKUs, shown apart.
  apart: PreviewLine[];
  // Approved lines whose product the tenant no longer has.
  removed: PreviewLine[];
  total: Amount;
  approvedTotal: Amount;
  notMapped: number;
}

export interface TenantPreviewSummary {
  tenantId: string;
  companyName: string;
  accountName: string | null;
  mappingConfirmed: boolean;
  lines: number;
  notMapped: number;
  total: Amount;
  approvedTotal: Amount;
  change: Amount;
  pending: number;
}

export interface NotMappedProduct {
  skuId: string;
  microsoftProduct: string;
  tenants: number;
  seats: number;
}

export interface OrganizationPreview {
  period: string;
  currency: string;
  tenants: TenantPreviewSummary[];
  total: Amount;
  approvedTotal: Amount;
  notMapped: NotMappedProduct[];
  pending: number;
  apart: number;
}

// Everything one computation of an organization's preview needs, read once.
export interface PreviewInputs {
  period: string;
  currency: string;
  profiles: BillingProfile[];
  customers: BillingCustomer[];
}

// The invoice preview for the coming period: what each customer would be invoiced now, line by line, against the
// last approved invoice. Computed from the database on every read (nothing cached that could go stale).
@Injectable()
export class InvoicePreviewQueries {
  constructor(
    private readonly licences: BillableLicences,
    private readonly billing: BillingRepository,
    private readonly clock: Clock,
  ) {}

  async comingPeriod(organizationId: string): Promise<string> {
    return nextPeriod(periodOf(this.clock.now(), await this.licences.timeZone(organizationId)));
  }

  async tenant(organizationId: string, tenantId: string): Promise<TenantPreview> {
    const customer = await this.licences.customer(organizationId, tenantId);
    if (!customer) throw new CustomerTenantNotFoundError();
    const [settings, profiles, licences, approved, pending, mappings, period] = await Promise.all([
      this.billing.settings(organizationId),
      this.billing.profiles(organizationId),
      this.licences.ofTenant(organizationId, customer.tenantId),
      this.billing.approvedLines(organizationId, customer.tenantId),
      this.billing.approvals(organizationId, { status: 'pending', tenantId: customer.tenantId }),
      this.billing.mappings(organizationId),
      this.comingPeriod(organizationId),
    ]);
    const bySku = profilesBySku(profiles);
    const lines = licences.map((l) => invoiceLine(l, resolveProfile(bySku.get(l.skuId) ?? [], l)));
    const changes = new Map(lineChanges(customer.tenantId, lines, approved).map((c) => [c.lineKey, c]));
    const approvedByKey = new Map(approved.map((a) => [a.lineKey, a]));
    const pendingByKey = new Map(pending.map((p) => [p.lineKey, p]));
    const decorate = (line: InvoiceLine): PreviewLine => ({
      ...line,
      approved: approvedByKey.get(line.lineKey) ?? null,
      change: changes.get(line.lineKey) ?? null,
      pending: pendingByKey.get(line.lineKey) ?? null,
    });
    const order = (a: InvoiceLine, b: InvoiceLine) =>
      (a.productName || a.microsoftProduct).localeCompare(b.productName || b.microsoftProduct) || (a.skuId < b.skuId ? -1 : 1);
    const present = new Set(lines.map((l) => l.lineKey));
    const removed = approved
      .filter((a) => !present.has(a.lineKey))
      .map((a): PreviewLine => ({
        tenantId: a.tenantId,
        skuId: a.skuId,
        lineKey: a.lineKey,
        microsoftProduct: a.productName,
        productName: a.productName,
        productCode: null,
        profileId: null,
        profileScope: null,
        termDuration: null,
        billingCycle: null,
        purchased: 0,
        assigned: 0,
        quantity: 0,
        unitPrice: null,
        amount: null,
        status: 'billable',
        why: 'The customer no longer has this product',
        approved: a,
        change: changes.get(a.lineKey) ?? null,
        pending: pendingByKey.get(a.lineKey) ?? null,
      }));
    return {
      period,
      currency: settings.currency,
      customer,
      mapping: mappings.find((m) => m.tenantId === customer.tenantId) ?? null,
      lines: lines
        .filter((l) => !isShownApart(l))
        .sort(order)
        .map(decorate),
      apart: lines.filter(isShownApart).sort(order).map(decorate),
      removed,
      total: invoiceTotal(lines),
      approvedTotal: sum(approved.map((a) => a.amount)),
      notMapped: lines.filter((l) => l.status === 'not-mapped').length,
    };
  }

  // Every tenant's lines, batch by batch (whole tenants per batch), with the inputs they were computed from.
  // known: the active customers when the caller has read them already.
  async *lines(organizationId: string, known?: BillingCustomer[]): AsyncIterable<{ inputs: PreviewInputs; lines: InvoiceLine[] }> {
    // One after the other: the recompute reads these inside its transaction, on one connection.
    const settings = await this.billing.settings(organizationId);
    const profiles = await this.billing.profiles(organizationId);
    const customers = known ?? (await this.licences.customers(organizationId));
    const period = await this.comingPeriod(organizationId);
    const inputs: PreviewInputs = { period, currency: settings.currency, profiles, customers };
    const bySku = profilesBySku(profiles);
    for await (const batch of this.licences.all(organizationId, customers)) {
      yield { inputs, lines: batch.map((l) => invoiceLine(l, resolveProfile(bySku.get(l.skuId) ?? [], l))) };
    }
  }

  async organization(organizationId: string): Promise<OrganizationPreview> {
    const [approvedTotals, pending, mappings, settings, customers, period] = await Promise.all([
      this.billing.approvedTotals(organizationId),
      this.billing.approvals(organizationId, { status: 'pending', limit: 1_000_000 }),
      this.billing.mappings(organizationId),
      this.billing.settings(organizationId),
      this.licences.customers(organizationId),
      this.comingPeriod(organizationId),
    ]);
    const pendingCounts = new Map<string, number>();
    for (const p of pending) pendingCounts.set(p.tenantId, (pendingCounts.get(p.tenantId) ?? 0) + 1);
    const mappingOf = new Map(mappings.map((m) => [m.tenantId, m]));
    const perTenant = new Map<string, { lines: number; notMapped: number; total: Amount }>();
    const notMapped = new Map<string, NotMappedProduct>();
    let apart = 0;
    for await (const { lines } of this.lines(organizationId, customers)) {
      for (const line of lines) {
        const tenant = perTenant.get(line.tenantId) ?? { lines: 0, notMapped: 0, total: ZERO };
        perTenant.set(line.tenantId, tenant);
        if (isShownApart(line)) {
          apart++;
          continue;
        }
        tenant.lines++;
        if (line.status === 'billable' && line.amount) tenant.total = tenant.total.plus(line.amount);
        if (line.status === 'not-mapped') {
          tenant.notMapped++;
          const product = notMapped.get(line.skuId) ?? { skuId: line.skuId, microsoftProduct: line.microsoftProduct, tenants: 0, seats: 0 };
          product.tenants++;
          product.seats += line.purchased;
          notMapped.set(line.skuId, product);
        }
      }
    }
    const tenants = customers.map((customer): TenantPreviewSummary => {
      const computed = perTenant.get(customer.tenantId) ?? { lines: 0, notMapped: 0, total: ZERO };
      const approvedTotal = approvedTotals.get(customer.tenantId) ?? ZERO;
      const mapping = mappingOf.get(customer.tenantId);
      return {
        tenantId: customer.tenantId,
        companyName: customer.companyName,
        accountName: mapping?.accountName ?? null,
        mappingConfirmed: mapping?.status === 'confirmed',
        lines: computed.lines,
        notMapped: computed.notMapped,
        total: computed.total,
        approvedTotal,
        change: computed.total.minus(approvedTotal),
        pending: pendingCounts.get(customer.tenantId) ?? 0,
      };
    });
    return {
      period,
      currency: settings.currency,
      tenants,
      total: sum(tenants.map((t) => t.total)),
      approvedTotal: sum(tenants.map((t) => t.approvedTotal)),
      notMapped: [...notMapped.values()].sort((a, b) => a.microsoftProduct.localeCompare(b.microsoftProduct)),
      pending: pending.length,
      apart,
    };
  }

  // The Microsoft products the organization's customers have (for the profile form), by name.
  async products(organizationId: string): Promise<{ skuId: string; microsoftProduct: string }[]> {
    const products = new Map<string, string>();
    for await (const batch of this.licences.all(organizationId))
      for (const l of batch) if (!products.has(l.skuId)) products.set(l.skuId, l.productName);
    return [...products]
      .map(([skuId, microsoftProduct]) => ({ skuId, microsoftProduct }))
      .sort((a, b) => a.microsoftProduct.localeCompare(b.microsoftProduct));
  }
}
