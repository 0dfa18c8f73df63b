import type { PartnerType } from '../../../shared/domain/partner-program';

export type DelegatedAdminStatus = 'active' | 'needs_reconsent' | 'failed';
// How Microsoft bills the partner behind the account (FACTS.md §4), as detected from Partner Center.
export type { PartnerType } from '../../../shared/domain/partner-program';
// 'yes' once a partner admin has run the Direct CSP test successfully; nothing but a test sets it.
export type DirectCspStatus = 'unknown' | 'yes';

export interface DirectCspConfirmation {
  byUserId: string;
  byName: string;
  at: Date;
  // What Partner Center answered, in words, kept as the evidence for the decision.
  evidence: string;
}

export interface ConsentingAccount {
  partnerTenantId: string;
  partnerDirectoryName: string | null;
  objectId: string;
  userPrincipalName: string;
  displayName: string;
}

export interface GrantedBy {
  userId: string;
  name: string;
}

// A Partner Center account connected to an organization (Admin Agent, MFA enforced). Its refresh token is kept
// apart, encrypted, by the token vault; this aggregate holds what the partner admin sees and decides on.
export class DelegatedAdmin {
  id: string;
  organizationId: string;
  partnerTenantId: string;
  partnerDirectoryName: string | null;
  accountObjectId: string;
  accountUpn: string;
  accountDisplayName: string;
  status: DelegatedAdminStatus;
  statusReason: string | null;
  mfaVerified: boolean;
  adminAgentVerified: boolean;
  // Detected automatically after consent; null until detected. partnerTypeDetail says why (or why not known).
  partnerType: PartnerType | null;
  partnerTypeDetail: string | null;
  partnerTypeDetectedAt: Date | null;
  directCsp: DirectCspStatus;
  directCspConfirmedAt: Date | null;
  directCspConfirmedByUserId: string | null;
  directCspConfirmedByName: string | null;
  directCspEvidence: string | null;
  grantedAt: Date;
  grantedByUserId: string | null;
  grantedByName: string;
  lastUsedAt: Date | null;
  createdAt: Date;

  // Consent was verified (MFA in the Partner Center token, Admin Agent access) before this is called.
  static grant(input: { id: string; organizationId: string; account: ConsentingAccount; grantedBy: GrantedBy; now: Date }): DelegatedAdmin {
    const admin = new DelegatedAdmin();
    admin.id = input.id;
    admin.organizationId = input.organizationId;
    admin.partnerTenantId = input.account.partnerTenantId.toLowerCase();
    admin.accountObjectId = input.account.objectId.toLowerCase();
    admin.partnerType = null;
    admin.partnerTypeDetail = null;
    admin.partnerTypeDetectedAt = null;
    admin.directCsp = 'unknown';
    admin.directCspConfirmedAt = null;
    admin.directCspConfirmedByUserId = null;
    admin.directCspConfirmedByName = null;
    admin.directCspEvidence = null;
    admin.createdAt = input.now;
    admin.lastUsedAt = null;
    admin.regrant(input.account, input.grantedBy, input.now);
    return admin;
  }

  // Granting again with the same account repairs the connection in place: same id, same history.
  regrant(account: ConsentingAccount, grantedBy: GrantedBy, now: Date): void {
    this.partnerDirectoryName = account.partnerDirectoryName ?? this.partnerDirectoryName ?? null;
    this.accountUpn = account.userPrincipalName;
    this.accountDisplayName = account.displayName;
    this.status = 'active';
    this.statusReason = null;
    this.mfaVerified = true;
    this.adminAgentVerified = true;
    this.grantedAt = now;
    this.grantedByUserId = grantedBy.userId;
    this.grantedByName = grantedBy.name;
  }

  isSameAccount(account: Pick<ConsentingAccount, 'partnerTenantId' | 'objectId'>): boolean {
    return this.partnerTenantId === account.partnerTenantId.toLowerCase() && this.accountObjectId === account.objectId.toLowerCase();
  }

  // Microsoft refused the stored refresh token: only a person can fix it, by granting consent again.
  needsReconsent(reason: string): boolean {
    const changed = this.status !== 'needs_reconsent' || this.statusReason !== reason;
    this.status = 'needs_reconsent';
    this.statusReason = reason;
    return changed;
  }

  recordUse(now: Date): void {
    this.lastUsedAt = now;
  }

  // The consent works but Partner Center refuses the account (e.g. its Admin Agent role was removed), as seen by
  // work that began at `observedSince`: a consent granted after that is not judged by it.
  fail(reason: string, observedSince: Date): boolean {
    if (this.grantedAt > observedSince) return false;
    if (this.status === 'needs_reconsent' || (this.status === 'failed' && this.statusReason === reason)) return false;
    this.status = 'failed';
    this.statusReason = reason;
    return true;
  }

  // Partner Center accepted the account again.
  recover(): boolean {
    if (this.status !== 'failed') return false;
    this.status = 'active';
    this.statusReason = null;
    return true;
  }

  // What Partner Center shows about the partner now; `type` null when the reads could not tell (detail says why).
  recordPartnerType(type: PartnerType | null, detail: string, at: Date): void {
    this.partnerType = type;
    this.partnerTypeDetail = detail;
    this.partnerTypeDetectedAt = at;
  }

  // A partner admin's successful Direct CSP test: switches the Direct CSP features on, and records who, when and why.
  confirmDirectCsp(confirmation: DirectCspConfirmation): void {
    this.directCsp = 'yes';
    this.directCspConfirmedAt = confirmation.at;
    this.directCspConfirmedByUserId = confirmation.byUserId;
    this.directCspConfirmedByName = confirmation.byName;
    this.directCspEvidence = confirmation.evidence;
  }
}
