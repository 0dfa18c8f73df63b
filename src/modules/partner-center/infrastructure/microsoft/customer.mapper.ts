import type { PartnerCenterCustomer } from '../../../../../libs/microsoft/src';
import type { CustomerSummary } from '../../contracts/partner-center-directory';
import { lowerGuidOrText, text, UnexpectedWireShapeError } from './wire-value.mapper';
import { isGuid } from '../../../../shared/domain/guid';

export function toCustomerSummary(customer: PartnerCenterCustomer): CustomerSummary {
  const profile = customer.companyProfile;
  // `id` is the customer's tenant id and companyProfile.tenantId repeats it (FACTS.md §2.5); Microsoft's own
  // list sample prints a "<guid>" placeholder in the profile, so the profile's value counts only when it is a GUID.
  const tenantId = [profile?.tenantId, customer.id].map(lowerGuidOrText).find(isGuid) ?? lowerGuidOrText(customer.id);
  if (!tenantId) throw new UnexpectedWireShapeError('a customer in the list has no tenant id');
  // Domain names are case-insensitive; one spelling keeps search, sort and de-duplication simple.
  const domain = text(profile?.domain)?.toLowerCase() ?? '';
  return {
    tenantId,
    // List items carry only companyProfile (FACTS.md §2.4–2.5); the billing profile is a fallback for the
    // by-id shape, then whatever still identifies the tenant, so a row is never blank.
    companyName: text(profile?.companyName) ?? text(customer.billingProfile?.companyName) ?? (domain || tenantId),
    domain,
    // Enums arrive lower snake_case (FACTS.md §2.3); an absent one is unknown, not "none" (a real value).
    relationship: text(customer.relationshipToPartner)?.toLowerCase() ?? 'unknown',
  };
}
