import { isAppProvisioned } from '../scenario/application-consents';
import type { AppRegistration, ConditionalAccessRefusal, Customer } from '../scenario/scenario';
import type { AadJsonError } from './aad-error';

// What Entra checks in a customer directory once the partner user is known there (an active GDAP relationship),
// before it issues a customer-tenant token (FACTS §3.1, §7a.2, §7a.7). Undefined: the token may be issued.
//
// 1. The app must be provisioned in the customer (its service principal and grants, which partners create with
//    Partner Center applicationconsents): otherwise AADSTS65001, invalid_grant with suberror consent_required —
//    the body Partner-Center-DotNet-Samples #49/#129 and CIPP #6283 report for GDAP tokens of a missing app.
// 2. The customer's Conditional Access may target service-provider users. Which check Entra runs first is not
//    documented; the emulator checks the app first (a policy is evaluated for an app that exists in the directory).
export function customerTenantRefusal(customer: Customer, app: AppRegistration, resource: string): AadJsonError | undefined {
  if (!isAppProvisioned(customer, app.clientId)) {
    return {
      status: 400,
      error: 'invalid_grant',
      code: 65001,
      message: `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      suberror: 'consent_required',
    };
  }
  return customer.conditionalAccess ? conditionalAccessRefusal(customer.conditionalAccess, resource) : undefined;
}

// reference-error-codes.md descriptions; `error`/`suberror` as observed in recorded Entra answers to refresh-token
// redemptions (FACTS §1.6 [3p S16]). The emulator's 'mfa' policy is one the stored refresh token cannot satisfy
// (e.g. sign-in frequency "every time" for service-provider users), so even an MFA sign-in is asked again.
// Whether 53000 carries a suberror is not documented: none is sent.
function conditionalAccessRefusal(refusal: ConditionalAccessRefusal, resource: string): AadJsonError {
  switch (refusal) {
    case 'mfa':
      return {
        status: 400,
        error: 'invalid_grant',
        code: 50076,
        message: `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
        suberror: 'basic_action',
      };
    case 'block':
      return {
        status: 400,
        error: 'invalid_grant',
        code: 53003,
        message: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
        suberror: 'message_only',
      };
    case 'compliantDevice':
      return {
        status: 400,
        error: 'invalid_grant',
        code: 53000,
        message:
          'Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant. The user must enroll their device with an approved MDM provider like Intune.',
      };
  }
}
