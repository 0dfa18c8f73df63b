// Integration events the consent module publishes (durably, through the outbox).
export const CONSENT_GRANTED = 'consent.granted';
export const CONSENT_RECONSENT_NEEDED = 'consent.reconsent-needed';

export interface ConsentGrantedPayload {
  delegatedAdminId: string;
  partnerTenantId: string;
  accountUpn: string;
  // true when an existing delegated admin was repaired rather than a new one connected.
  regranted: boolean;
}

export interface ReconsentNeededPayload {
  delegatedAdminId: string;
  accountUpn: string;
  reason: string;
}

export const CONSENT_REMOVED = 'consent.delegated-admin-removed';

export interface DelegatedAdminRemovedPayload {
  delegatedAdminId: string;
  accountUpn: string;
}
