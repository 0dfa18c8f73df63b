import type {
  ApprovedLine,
  BillingSettings,
  ChangeKind,
  LineChange,
  LineValues,
  PendingApproval,
  RejectedChange,
} from '../../domain/approval';
import type { BillingProfile } from '../../domain/billing-profile';
import type { Amount } from '../../domain/money';

export interface StoredSettings extends BillingSettings {
  // When the organization's first preview became its approved invoice (null: not yet).
  baselineRecordedAt: Date | null;
}

export interface StoredProfile extends BillingProfile {
  updatedAt: Date;
  updatedByName: string;
}

// The partner's billing account for one customer tenant (an internal record; the PSA issue links it to a PSA company).
export interface CompanyMapping {
  tenantId: string;
  accountName: string;
  accountCode: string;
  status: 'suggested' | 'confirmed';
  suggestedBecause: string;
  confirmedAt: Date | null;
  confirmedByName: string | null;
}

export interface StoredApproval extends PendingApproval {
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decidedAt: Date | null;
  decidedByName: string | null;
}

export interface TenantTotal {
  tenantId: string;
  total: Amount;
  fingerprint: string;
}

export interface SnapshotLine {
  tenantId: string;
  companyName: string;
  accountName: string | null;
  skuId: string;
  microsoftProduct: string;
  productName: string;
  productCode: string | null;
  status: string;
  purchased: number;
  assigned: number;
  quantity: number;
  unitPrice: Amount | null;
  amount: Amount | null;
  why: string;
  // What the line was computed from (the profile, the approved values), kept with it.
  inputs: Record<string, unknown>;
}

export interface Snapshot {
  id: string;
  period: string;
  currency: string;
  total: Amount;
  frozenAt: Date;
  frozenByName: string;
  lines: number;
}

export type NewApproval = LineChange & { id: string; createdAt: Date };

// Billing's tables; every method is scoped to one organization.
export abstract class BillingRepository {
  abstract settings(organizationId: string): Promise<StoredSettings>;
  abstract saveSettings(organizationId: string, settings: BillingSettings, at: Date, byName: string): Promise<void>;
  abstract markBaselineRecorded(organizationId: string, at: Date): Promise<void>;

  abstract profiles(organizationId: string): Promise<StoredProfile[]>;
  abstract profile(organizationId: string, id: string): Promise<StoredProfile | null>;
  // Inserts or replaces; false when another profile has the same scope (SKU, customer, term, cycle).
  abstract saveProfile(organizationId: string, profile: BillingProfile, at: Date, byName: string): Promise<boolean>;
  abstract deleteProfile(organizationId: string, id: string): Promise<boolean>;

  abstract mappings(organizationId: string): Promise<CompanyMapping[]>;
  abstract saveMapping(organizationId: string, mapping: CompanyMapping): Promise<void>;

  abstract approvedLines(organizationId: string, tenantId?: string): Promise<ApprovedLine[]>;
  // The approved invoice's total per customer tenant (tenants with approved lines only).
  abstract approvedTotals(organizationId: string): Promise<Map<string, Amount>>;
  abstract applyChanges(organizationId: string, changes: readonly LineChange[], at: Date, byName: string): Promise<void>;

  abstract approvals(
    organizationId: string,
    filter: { status?: StoredApproval['status']; tenantId?: string; limit?: number },
  ): Promise<StoredApproval[]>;
  abstract approval(organizationId: string, id: string): Promise<StoredApproval | null>;
  abstract latestRejected(organizationId: string): Promise<RejectedChange[]>;
  abstract addApproval(organizationId: string, approval: NewApproval): Promise<void>;
  abstract updatePendingApproval(
    organizationId: string,
    id: string,
    change: { kind: ChangeKind; before: LineValues | null; after: LineValues | null; delta: Amount },
  ): Promise<void>;
  // Only a pending approval is decided; false when it was not pending (any more).
  abstract decideApproval(
    organizationId: string,
    id: string,
    status: 'approved' | 'rejected' | 'withdrawn',
    at: Date,
    byName: string,
  ): Promise<boolean>;

  abstract tenantTotals(organizationId: string): Promise<TenantTotal[]>;
  abstract saveTenantTotals(organizationId: string, totals: readonly TenantTotal[], at: Date): Promise<void>;

  abstract snapshots(organizationId: string): Promise<Snapshot[]>;
  abstract snapshot(organizationId: string, period: string): Promise<Snapshot | null>;
  abstract snapshotLines(organizationId: string, snapshotId: string): Promise<SnapshotLine[]>;
  // Writes a frozen snapshot unless the period has one already; false: it had (nothing written).
  abstract createSnapshot(organizationId: string, snapshot: Omit<Snapshot, 'lines'>, lines: readonly SnapshotLine[]): Promise<boolean>;
}
