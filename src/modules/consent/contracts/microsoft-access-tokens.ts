// The only way any module obtains a Microsoft access token: through a delegated admin's stored consent.
// Throws ReconsentRequiredError (the consent no longer works; the delegated admin now shows Needs re-consent)
// or MicrosoftUnavailableError (Microsoft could not be reached; try later).
export abstract class MicrosoftAccessTokens {
  abstract forPartnerCenter(organizationId: string, delegatedAdminId: string): Promise<string>;
  // A Graph token for one customer tenant, through the partner's GDAP relationship with it.
  abstract forGraph(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<string>;
  // A Graph token for the partner's own directory (GDAP relationships, the service account's groups).
  abstract forPartnerGraph(organizationId: string, delegatedAdminId: string): Promise<string>;
}
