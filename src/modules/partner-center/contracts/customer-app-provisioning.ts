// Adds the Sync 365 app to a customer's directory through Partner Center applicationconsents (FACTS.md §7a.2):
// until then Microsoft refuses Sync 365's tokens for that customer (AADSTS65001), so Graph reads there fail.
// Partner Center requires the signed-in service account to hold Application Administrator in the customer through
// GDAP.
export type AppProvisioningResult =
  | { outcome: 'provisioned' }
  // Partner Center already had the app's consent for this customer (409): nothing was changed.
  | { outcome: 'already_present' }
  // Partner Center refused (no Application Administrator, no relationship, …): `reason` says why and what to do.
  | { outcome: 'refused'; reason: string };

export abstract class CustomerAppProvisioning {
  // Throws MicrosoftUnavailableError when Partner Center could not be reached (try later), or the consent
  // module's ReconsentRequiredError.
  abstract provision(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<AppProvisioningResult>;
}
