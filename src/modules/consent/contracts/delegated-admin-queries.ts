import type { DirectCspConfirmation, PartnerType } from '../domain/delegated-admin';

export type { PartnerType } from '../domain/delegated-admin';

export interface DelegatedAdminSummary {
  id: string;
  accountUpn: string;
  // The partner's own Entra tenant the account belongs to (Graph's ownerTenantId of what this partner sold).
  partnerTenantId?: string;
  partnerDirectoryName: string | null;
  status: 'active' | 'needs_reconsent' | 'failed';
  // Why it needs re-consent or failed, in words with the fix (null when active).
  statusReason?: string | null;
  // Detected after consent (null until then, or when Partner Center could not tell); partnerTypeDetail says why.
  partnerType: PartnerType | null;
  partnerTypeDetail: string | null;
  partnerTypeDetectedAt: Date | null;
  // Set only by a successful Direct CSP test; switches the Direct CSP features on.
  directCsp: Omit<DirectCspConfirmation, 'byUserId'> | null;
}

const PARTNER_TYPE_LABELS: Record<PartnerType, string> = {
  direct: 'Direct bill',
  indirect_provider: 'Indirect provider',
  indirect_reseller: 'Indirect reseller',
};

// The partner type in words, as the Delegated Admin tab and the Direct CSP settings show it.
export function partnerTypeLabel(admin: Pick<DelegatedAdminSummary, 'partnerType' | 'partnerTypeDetectedAt'>): string {
  if (admin.partnerType) return PARTNER_TYPE_LABELS[admin.partnerType];
  return admin.partnerTypeDetectedAt ? 'Not determined' : 'Detecting…';
}

// Read facade for other modules: an organization's connected Partner Center accounts.
export abstract class DelegatedAdminQueries {
  abstract list(organizationId: string): Promise<DelegatedAdminSummary[]>;
  abstract find(organizationId: string, delegatedAdminId: string): Promise<DelegatedAdminSummary | null>;
}

// Where the direct-csp module records what it learnt about a delegated admin's partner type, inside the caller's
// transaction. Both do nothing when the delegated admin no longer exists (it was removed meanwhile) and say so.
export abstract class PartnerTypeRecords {
  abstract recordDetected(
    organizationId: string,
    delegatedAdminId: string,
    type: PartnerType | null,
    detail: string,
    at: Date,
  ): Promise<boolean>;
  abstract confirmDirectCsp(organizationId: string, delegatedAdminId: string, confirmation: DirectCspConfirmation): Promise<boolean>;
}
