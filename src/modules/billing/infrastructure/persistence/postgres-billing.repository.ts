import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { isUniqueViolation } from '../../../../shared/application/unique-violation';
import {
  DEFAULT_SETTINGS,
  type ApprovedLine,
  type BillingSettings,
  type ChangeKind,
  type LineChange,
  type LineValues,
  type RejectedChange,
} from '../../domain/approval';
import type { BillingProfile, ChargeKind, PriceKind, QuantityRule } from '../../domain/billing-profile';
import { money, type Amount } from '../../domain/money';
import {
  BillingRepository,
  type CompanyMapping,
  type NewApproval,
  type Snapshot,
  type SnapshotLine,
  type StoredApproval,
  type StoredProfile,
  type StoredSettings,
  type TenantTotal,
} from '../../application/ports/billing.repository';

interface ProfileRow {
  id: string;
  tenant_id: string | null;
  sku_id: string;
  term_duration: string | null;
  billing_cycle: string | null;
  product_name: string;
  product_code: string;
  price_kind: PriceKind;
  unit_price: string | null;
  markup_percent: string | null;
  unit_cost: string | null;
  charge: ChargeKind;
  quantity_rule: QuantityRule;
  included_quantity: number;
  minimum_quantity: number;
  updated_at: string;
  updated_by_name: string;
}

interface ApprovalRow {
  id: string;
  tenant_id: string;
  line_key: string;
  sku_id: string;
  kind: ChangeKind;
  before: StoredValues | null;
  after: StoredValues | null;
  delta: string;
  status: StoredApproval['status'];
  created_at: string;
  decided_at: string | null;
  decided_by_name: string | null;
}

// Line values as jsonb: amounts stay decimal strings (never JSON numbers, which would be floats).
interface StoredValues {
  productName: string;
  quantity: number;
  unitPrice: string;
  amount: string;
}

// Billing's tables in plain SQL (like licensing's read models): numeric columns come back as strings and become
// exact decimals here; every statement names the organization.
@Injectable()
export class PostgresBillingRepository extends BillingRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async settings(organizationId: string): Promise<StoredSettings> {
    const [row] = await rawSql<{
      currency: string;
      auto_approve_increases: boolean;
      approval_threshold: string;
      baseline_recorded_at: string | null;
    }>(
      this.em,
      'select currency, auto_approve_increases, approval_threshold, baseline_recorded_at from billing_settings where organization_id = ?',
      [organizationId],
    );
    if (!row) return { ...DEFAULT_SETTINGS, baselineRecordedAt: null };
    return {
      currency: row.currency.trim(),
      autoApproveIncreases: row.auto_approve_increases,
      approvalThreshold: money(row.approval_threshold),
      baselineRecordedAt: sqlTime(row.baseline_recorded_at),
    };
  }

  async saveSettings(organizationId: string, settings: BillingSettings, at: Date, byName: string): Promise<void> {
    await rawSql(
      this.em,
      `insert into billing_settings (organization_id, currency, auto_approve_increases, approval_threshold, updated_at, updated_by_name) values (?, ?, ?, ?, ?, ?)
       on conflict (organization_id) do update set currency = excluded.currency, auto_approve_increases = excluded.auto_approve_increases,
         approval_threshold = excluded.approval_threshold, updated_at = excluded.updated_at, updated_by_name = excluded.updated_by_name`,
      [organizationId, settings.currency, settings.autoApproveIncreases, settings.approvalThreshold.toFixed(2), at, byName],
    );
  }

  async markBaselineRecorded(organizationId: string, at: Date): Promise<void> {
    await rawSql(
      this.em,
      `insert into billing_settings (organization_id, baseline_recorded_at) values (?, ?)
       on conflict (organization_id) do update set baseline_recorded_at = coalesce(billing_settings.baseline_recorded_at, excluded.baseline_recorded_at)`,
      [organizationId, at],
    );
  }

  async profiles(organizationId: string): Promise<StoredProfile[]> {
    const rows = await rawSql<ProfileRow>(
      this.em,
      'select * from billing_profiles where organization_id = ? order by product_name, tenant_id nulls first, term_duration nulls first, billing_cycle nulls first, id',
      [organizationId],
    );
    return rows.map(toProfile);
  }

  async profile(organizationId: string, id: string): Promise<StoredProfile | null> {
    if (!isGuid(id)) return null;
    const [row] = await rawSql<ProfileRow>(this.em, 'select * from billing_profiles where organization_id = ? and id = ?', [
      organizationId,
      id.toLowerCase(),
    ]);
    return row ? toProfile(row) : null;
  }

  async saveProfile(organizationId: string, profile: BillingProfile, at: Date, byName: string): Promise<boolean> {
    try {
      // A savepoint, so a refused duplicate leaves the caller's transaction usable.
      await this.em.transactional(async (em) => {
        await rawSql(
          em as EntityManager,
          `insert into billing_profiles (id, organization_id, tenant_id, sku_id, term_duration, billing_cycle, product_name, product_code, price_kind, unit_price, markup_percent,
             unit_cost, charge, quantity_rule, included_quantity, minimum_quantity, created_at, updated_at, updated_by_name)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (id) do update set tenant_id = excluded.tenant_id, sku_id = excluded.sku_id, term_duration = excluded.term_duration, billing_cycle = excluded.billing_cycle,
             product_name = excluded.product_name, product_code = excluded.product_code, price_kind = excluded.price_kind, unit_price = excluded.unit_price,
             markup_percent = excluded.markup_percent, unit_cost = excluded.unit_cost, charge = excluded.charge, quantity_rule = excluded.quantity_rule,
             included_quantity = excluded.included_quantity, minimum_quantity = excluded.minimum_quantity, updated_at = excluded.updated_at, updated_by_name = excluded.updated_by_name
           where billing_profiles.organization_id = excluded.organization_id`,
          [
            profile.id,
            organizationId,
            profile.tenantId,
            profile.skuId,
            profile.termDuration,
            profile.billingCycle,
            profile.productName,
            profile.productCode,
            profile.priceKind,
            decimalOrNull(profile.unitPrice),
            decimalOrNull(profile.markupPercent),
            decimalOrNull(profile.unitCost),
            profile.charge,
            profile.quantityRule,
            profile.includedQuantity,
            profile.minimumQuantity,
            at,
            at,
            byName,
          ],
        );
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async deleteProfile(organizationId: string, id: string): Promise<boolean> {
    if (!isGuid(id)) return false;
    const rows = await rawSql(this.em, 'delete from billing_profiles where organization_id = ? and id = ? returning id', [
      organizationId,
      id.toLowerCase(),
    ]);
    return rows.length > 0;
  }

  async mappings(organizationId: string): Promise<CompanyMapping[]> {
    const rows = await rawSql<{
      tenant_id: string;
      account_name: string;
      account_code: string;
      status: 'suggested' | 'confirmed';
      suggested_because: string;
      confirmed_at: string | null;
      confirmed_by_name: string | null;
    }>(this.em, 'select * from billing_accounts where organization_id = ? order by lower(account_name), tenant_id', [organizationId]);
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      accountName: row.account_name,
      accountCode: row.account_code,
      status: row.status,
      suggestedBecause: row.suggested_because,
      confirmedAt: sqlTime(row.confirmed_at),
      confirmedByName: row.confirmed_by_name,
    }));
  }

  async saveMapping(organizationId: string, mapping: CompanyMapping): Promise<void> {
    await rawSql(
      this.em,
      `insert into billing_accounts (organization_id, tenant_id, account_name, account_code, status, suggested_because, confirmed_at, confirmed_by_name) values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (organization_id, tenant_id) do update set account_name = excluded.account_name, account_code = excluded.account_code, status = excluded.status,
         suggested_because = excluded.suggested_because, confirmed_at = excluded.confirmed_at, confirmed_by_name = excluded.confirmed_by_name`,
      [
        organizationId,
        mapping.tenantId,
        mapping.accountName,
        mapping.accountCode,
        mapping.status,
        mapping.suggestedBecause,
        mapping.confirmedAt,
        mapping.confirmedByName,
      ],
    );
  }

  async approvedLines(organizationId: string, tenantId?: string): Promise<ApprovedLine[]> {
    const rows = await rawSql<{
      tenant_id: string;
      line_key: string;
      sku_id: string;
      product_name: string;
      quantity: number;
      unit_price: string;
      amount: string;
    }>(
      this.em,
      `select tenant_id, line_key, sku_id, product_name, quantity, unit_price, amount from billing_approved_lines where organization_id = ?${tenantId ? ' and tenant_id = ?' : ''}
       order by tenant_id, line_key`,
      tenantId ? [organizationId, tenantId] : [organizationId],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      lineKey: row.line_key,
      skuId: row.sku_id,
      productName: row.product_name,
      quantity: row.quantity,
      unitPrice: money(row.unit_price),
      amount: money(row.amount),
    }));
  }

  // Summed in PostgreSQL (numeric: exact, as the Decimal sum): 10,000 totals read instead of 40,000 lines.
  async approvedTotals(organizationId: string): Promise<Map<string, Amount>> {
    const rows = await rawSql<{ tenant_id: string; total: string }>(
      this.em,
      'select tenant_id, sum(amount)::text as total from billing_approved_lines where organization_id = ? group by tenant_id',
      [organizationId],
    );
    return new Map(rows.map((row) => [row.tenant_id, money(row.total)]));
  }

  async applyChanges(organizationId: string, changes: readonly LineChange[], at: Date, byName: string): Promise<void> {
    const removed = changes.filter((c) => c.after === null);
    const upserts = changes.filter((c) => c.after !== null);
    // Set-based (json_to_recordset), so an organization's first baseline of thousands of lines is one statement.
    for (const chunk of chunks(removed, 2000)) {
      await rawSql(
        this.em,
        `delete from billing_approved_lines a using json_to_recordset(?::json) as r(tenant_id uuid, line_key text)
         where a.organization_id = ? and a.tenant_id = r.tenant_id and a.line_key = r.line_key`,
        [JSON.stringify(chunk.map((c) => ({ tenant_id: c.tenantId, line_key: c.lineKey }))), organizationId],
      );
    }
    for (const chunk of chunks(upserts, 2000)) {
      const records = chunk.map((c) => ({
        tenant_id: c.tenantId,
        line_key: c.lineKey,
        sku_id: c.skuId,
        product_name: c.after!.productName,
        quantity: c.after!.quantity,
        unit_price: c.after!.unitPrice.toFixed(4),
        amount: c.after!.amount.toFixed(2),
      }));
      await rawSql(
        this.em,
        `insert into billing_approved_lines (organization_id, tenant_id, line_key, sku_id, product_name, quantity, unit_price, amount, approved_at, approved_by_name)
         select ?, r.tenant_id, r.line_key, r.sku_id, r.product_name, r.quantity, r.unit_price, r.amount, ?, ?
         from json_to_recordset(?::json) as r(tenant_id uuid, line_key text, sku_id text, product_name text, quantity integer, unit_price numeric, amount numeric)
         on conflict (organization_id, tenant_id, line_key) do update set sku_id = excluded.sku_id, product_name = excluded.product_name, quantity = excluded.quantity,
           unit_price = excluded.unit_price, amount = excluded.amount, approved_at = excluded.approved_at, approved_by_name = excluded.approved_by_name`,
        [organizationId, at, byName, JSON.stringify(records)],
      );
    }
  }

  async approvals(
    organizationId: string,
    filter: { status?: StoredApproval['status']; tenantId?: string; limit?: number },
  ): Promise<StoredApproval[]> {
    const where = ['organization_id = ?'];
    const params: unknown[] = [organizationId];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.tenantId) {
      if (!isGuid(filter.tenantId)) return [];
      where.push('tenant_id = ?');
      params.push(filter.tenantId.toLowerCase());
    }
    const order = filter.status === 'pending' ? 'created_at, id' : 'coalesce(decided_at, created_at) desc, id';
    const rows = await rawSql<ApprovalRow>(
      this.em,
      `select * from billing_approvals where ${where.join(' and ')} order by ${order} limit ?`,
      [...params, filter.limit ?? 1000],
    );
    return rows.map(toApproval);
  }

  async approval(organizationId: string, id: string): Promise<StoredApproval | null> {
    if (!isGuid(id)) return null;
    const [row] = await rawSql<ApprovalRow>(this.em, 'select * from billing_approvals where organization_id = ? and id = ?', [
      organizationId,
      id.toLowerCase(),
    ]);
    return row ? toApproval(row) : null;
  }

  async latestRejected(organizationId: string): Promise<RejectedChange[]> {
    const rows = await rawSql<{ tenant_id: string; line_key: string; after: StoredValues | null }>(
      this.em,
      `select distinct on (tenant_id, line_key) tenant_id, line_key, after from billing_approvals
       where organization_id = ? and status in ('approved', 'rejected') order by tenant_id, line_key, decided_at desc`,
      [organizationId],
    );
    // Only a line whose latest decision was a refusal keeps the refused values from being asked again.
    const refused = await rawSql<{ tenant_id: string; line_key: string }>(
      this.em,
      `select tenant_id, line_key from (select distinct on (tenant_id, line_key) tenant_id, line_key, status from billing_approvals
         where organization_id = ? and status in ('approved', 'rejected') order by tenant_id, line_key, decided_at desc) latest where status = 'rejected'`,
      [organizationId],
    );
    const refusedKeys = new Set(refused.map((r) => `${r.tenant_id}|${r.line_key}`));
    return rows
      .filter((r) => refusedKeys.has(`${r.tenant_id}|${r.line_key}`))
      .map((r) => ({ tenantId: r.tenant_id, lineKey: r.line_key, after: fromStored(r.after) }));
  }

  async addApproval(organizationId: string, approval: NewApproval): Promise<void> {
    await rawSql(
      this.em,
      `insert into billing_approvals (id, organization_id, tenant_id, line_key, sku_id, kind, before, after, delta, status, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      [
        approval.id,
        organizationId,
        approval.tenantId,
        approval.lineKey,
        approval.skuId,
        approval.kind,
        JSON.stringify(toStored(approval.before)),
        JSON.stringify(toStored(approval.after)),
        approval.delta.toFixed(2),
        approval.createdAt,
      ],
    );
  }

  async updatePendingApproval(
    organizationId: string,
    id: string,
    change: { kind: ChangeKind; before: LineValues | null; after: LineValues | null; delta: Amount },
  ): Promise<void> {
    await rawSql(
      this.em,
      `update billing_approvals set kind = ?, before = ?, after = ?, delta = ? where organization_id = ? and id = ? and status = 'pending'`,
      [
        change.kind,
        JSON.stringify(toStored(change.before)),
        JSON.stringify(toStored(change.after)),
        change.delta.toFixed(2),
        organizationId,
        id,
      ],
    );
  }

  async decideApproval(
    organizationId: string,
    id: string,
    status: 'approved' | 'rejected' | 'withdrawn',
    at: Date,
    byName: string,
  ): Promise<boolean> {
    if (!isGuid(id)) return false;
    const rows = await rawSql(
      this.em,
      `update billing_approvals set status = ?, decided_at = ?, decided_by_name = ? where organization_id = ? and id = ? and status = 'pending' returning id`,
      [status, at, byName, organizationId, id.toLowerCase()],
    );
    return rows.length > 0;
  }

  async tenantTotals(organizationId: string): Promise<TenantTotal[]> {
    const rows = await rawSql<{ tenant_id: string; total: string; fingerprint: string }>(
      this.em,
      'select tenant_id, total, fingerprint from billing_tenant_totals where organization_id = ?',
      [organizationId],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, total: money(row.total), fingerprint: row.fingerprint }));
  }

  async saveTenantTotals(organizationId: string, totals: readonly TenantTotal[], at: Date): Promise<void> {
    for (const chunk of chunks(totals, 5000)) {
      await rawSql(
        this.em,
        `insert into billing_tenant_totals (organization_id, tenant_id, total, fingerprint, computed_at)
         select ?, r.tenant_id, r.total, r.fingerprint, ? from json_to_recordset(?::json) as r(tenant_id uuid, total numeric, fingerprint text)
         on conflict (organization_id, tenant_id) do update set total = excluded.total, fingerprint = excluded.fingerprint, computed_at = excluded.computed_at`,
        [
          organizationId,
          at,
          JSON.stringify(chunk.map((t) => ({ tenant_id: t.tenantId, total: t.total.toFixed(2), fingerprint: t.fingerprint }))),
        ],
      );
    }
  }

  async snapshots(organizationId: string): Promise<Snapshot[]> {
    const rows = await rawSql<SnapshotRow>(this.em, `${SNAPSHOT_SELECT} where s.organization_id = ? order by s.period desc`, [
      organizationId,
    ]);
    return rows.map(toSnapshot);
  }

  async snapshot(organizationId: string, period: string): Promise<Snapshot | null> {
    const [row] = await rawSql<SnapshotRow>(this.em, `${SNAPSHOT_SELECT} where s.organization_id = ? and s.period = ?`, [
      organizationId,
      period,
    ]);
    return row ? toSnapshot(row) : null;
  }

  async snapshotLines(organizationId: string, snapshotId: string): Promise<SnapshotLine[]> {
    const rows = await rawSql<{
      tenant_id: string;
      company_name: string;
      account_name: string | null;
      sku_id: string;
      microsoft_product: string;
      product_name: string;
      product_code: string | null;
      status: string;
      purchased: number;
      assigned: number;
      quantity: number;
      unit_price: string | null;
      amount: string | null;
      why: string;
      inputs: Record<string, unknown>;
    }>(this.em, 'select * from billing_snapshot_lines where organization_id = ? and snapshot_id = ? order by position', [
      organizationId,
      snapshotId,
    ]);
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      companyName: row.company_name,
      accountName: row.account_name,
      skuId: row.sku_id,
      microsoftProduct: row.microsoft_product,
      productName: row.product_name,
      productCode: row.product_code,
      status: row.status,
      purchased: row.purchased,
      assigned: row.assigned,
      quantity: row.quantity,
      unitPrice: row.unit_price === null ? null : money(row.unit_price),
      amount: row.amount === null ? null : money(row.amount),
      why: row.why,
      inputs: row.inputs,
    }));
  }

  async createSnapshot(organizationId: string, snapshot: Omit<Snapshot, 'lines'>, lines: readonly SnapshotLine[]): Promise<boolean> {
    const inserted = await rawSql(
      this.em,
      `insert into billing_snapshots (id, organization_id, period, currency, total, frozen_at, frozen_by_name) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (organization_id, period) do nothing returning id`,
      [
        snapshot.id,
        organizationId,
        snapshot.period,
        snapshot.currency,
        snapshot.total.toFixed(2),
        snapshot.frozenAt,
        snapshot.frozenByName,
      ],
    );
    if (inserted.length === 0) return false;
    let position = 0;
    for (const chunk of chunks(lines, 2000)) {
      const records = chunk.map((l) => ({
        position: position++,
        tenant_id: l.tenantId,
        company_name: l.companyName,
        account_name: l.accountName,
        sku_id: l.skuId,
        microsoft_product: l.microsoftProduct,
        product_name: l.productName,
        product_code: l.productCode,
        status: l.status,
        purchased: l.purchased,
        assigned: l.assigned,
        quantity: l.quantity,
        unit_price: l.unitPrice?.toFixed(4) ?? null,
        amount: l.amount?.toFixed(2) ?? null,
        why: l.why,
        inputs: l.inputs,
      }));
      await rawSql(
        this.em,
        `insert into billing_snapshot_lines (snapshot_id, organization_id, position, tenant_id, company_name, account_name, sku_id, microsoft_product, product_name, product_code,
           status, purchased, assigned, quantity, unit_price, amount, why, inputs)
         select ?, ?, r.position, r.tenant_id, r.company_name, r.account_name, r.sku_id, r.microsoft_product, r.product_name, r.product_code, r.status, r.purchased, r.assigned,
           r.quantity, r.unit_price, r.amount, r.why, r.inputs
         from json_to_recordset(?::json) as r(position integer, tenant_id uuid, company_name text, account_name text, sku_id text, microsoft_product text, product_name text,
           product_code text, status text, purchased integer, assigned integer, quantity integer, unit_price numeric, amount numeric, why text, inputs jsonb)`,
        [snapshot.id, organizationId, JSON.stringify(records)],
      );
    }
    return true;
  }
}

interface SnapshotRow {
  id: string;
  period: string;
  currency: string;
  total: string;
  frozen_at: string;
  frozen_by_name: string;
  lines: string;
}

const SNAPSHOT_SELECT = `select s.id, s.period, s.currency, s.total, s.frozen_at, s.frozen_by_name,
  (select count(*) from billing_snapshot_lines l where l.organization_id = s.organization_id and l.snapshot_id = s.id) as lines from billing_snapshots s`;

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    period: row.period,
    currency: row.currency.trim(),
    total: money(row.total),
    frozenAt: sqlTime(row.frozen_at),
    frozenByName: row.frozen_by_name,
    lines: Number(row.lines),
  };
}

function toProfile(row: ProfileRow): StoredProfile {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    skuId: row.sku_id,
    termDuration: row.term_duration,
    billingCycle: row.billing_cycle,
    productName: row.product_name,
    productCode: row.product_code,
    priceKind: row.price_kind,
    unitPrice: row.unit_price === null ? null : money(row.unit_price),
    markupPercent: row.markup_percent === null ? null : money(row.markup_percent),
    unitCost: row.unit_cost === null ? null : money(row.unit_cost),
    charge: row.charge,
    quantityRule: row.quantity_rule,
    includedQuantity: row.included_quantity,
    minimumQuantity: row.minimum_quantity,
    updatedAt: sqlTime(row.updated_at),
    updatedByName: row.updated_by_name,
  };
}

function toApproval(row: ApprovalRow): StoredApproval {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    lineKey: row.line_key,
    skuId: row.sku_id,
    kind: row.kind,
    before: fromStored(row.before),
    after: fromStored(row.after),
    delta: money(row.delta),
    status: row.status,
    createdAt: sqlTime(row.created_at),
    decidedAt: sqlTime(row.decided_at),
    decidedByName: row.decided_by_name,
  };
}

function toStored(values: LineValues | null): StoredValues | null {
  return (
    values && {
      productName: values.productName,
      quantity: values.quantity,
      unitPrice: values.unitPrice.toFixed(4),
      amount: values.amount.toFixed(2),
    }
  );
}

function fromStored(values: StoredValues | null): LineValues | null {
  return (
    values && {
      productName: values.productName,
      quantity: values.quantity,
      unitPrice: money(values.unitPrice),
      amount: money(values.amount),
    }
  );
}

function decimalOrNull(value: Amount | null): string | null {
  return value === null ? null : value.toString();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
