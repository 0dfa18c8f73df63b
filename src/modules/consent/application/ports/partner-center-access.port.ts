export type PartnerCenterAccess =
  | { outcome: 'ok'; partnerName?: string }
  | { outcome: 'mfa_required' }
  | { outcome: 'not_admin_agent' }
  // Partner Center offers indirect resellers no API (FACTS.md §4); they can still list the providers they buy through.
  | { outcome: 'indirect_reseller'; providers: string[] }
  | { outcome: 'token_rejected' };

// Partner Center as the consent check needs it: can this account list customers (Admin Agent, MFA)?
export abstract class PartnerCenterAccessCheck {
  abstract check(accessToken: string): Promise<PartnerCenterAccess>;
}
