import type { ApplicationConsent, Customer } from './scenario';

// Microsoft Graph's first-party app id: the enterpriseApplicationId of a Graph grant (CIPP Set-CIPPCPVConsent.ps1).
export const GRAPH_APPLICATION_ID = '00000003-0000-0000-c000-000000000000';

// What the demo and generated worlds pre-provision for the Sync 365 app: the Graph permissions it reads customer
// directories with.
export const SYNC365_CUSTOMER_GRAPH_SCOPE = 'Organization.Read.All';

export function applicationConsentOf(customer: Customer, applicationId: string): ApplicationConsent | undefined {
  const wanted = applicationId.toLowerCase();
  return (customer.applicationConsents ?? []).find((consent) => consent.applicationId.toLowerCase() === wanted);
}

export function isAppProvisioned(customer: Customer, applicationId: string): boolean {
  return applicationConsentOf(customer, applicationId) !== undefined;
}

export function provisionApp(customer: Customer, consent: ApplicationConsent): ApplicationConsent {
  customer.applicationConsents = [
    ...(customer.applicationConsents ?? []).filter(
      (existing) => existing.applicationId.toLowerCase() !== consent.applicationId.toLowerCase(),
    ),
    consent,
  ];
  return consent;
}

export function removeApp(customer: Customer, applicationId: string): boolean {
  const before = customer.applicationConsents?.length ?? 0;
  customer.applicationConsents = (customer.applicationConsents ?? []).filter(
    (consent) => consent.applicationId.toLowerCase() !== applicationId.toLowerCase(),
  );
  return customer.applicationConsents.length !== before;
}

export function graphConsent(
  applicationId: string,
  displayName: string,
  createdDateTime: string,
  scope = SYNC365_CUSTOMER_GRAPH_SCOPE,
): ApplicationConsent {
  return { applicationId, displayName, applicationGrants: [{ enterpriseApplicationId: GRAPH_APPLICATION_ID, scope }], createdDateTime };
}
