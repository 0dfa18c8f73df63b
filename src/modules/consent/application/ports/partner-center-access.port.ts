export type PartnerCenterAccess = { outcome: 'ok'; partnerName?: string } | { outcome: 'mfa_required' } | { outcome: 'not_admin_agent' } | { outcome: 'token_rejected' };

// Partner Center as the consent check needs it: can this account list customers (Admin Agent, MFA)?
export abstract class PartnerCenterAccessCheck {
  abstract check(accessToken: string): Promise<PartnerCenterAccess>;
}
