// The domains a customer verified in its own directory (Graph organization verifiedDomains, read through the
// partner's GDAP access). Partner Center names only one of them (companyProfile.domain, often the initial
// *.onmicrosoft.com domain), while the customer's people sign in with their own, e.g. name@adatum.com.
export abstract class CustomerDomains {
  // Lower case; throws when the directory cannot be read now.
  abstract verified(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<string[]>;
}
