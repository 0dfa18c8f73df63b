import type { Request, Response, Router } from 'express';
import type { EmulatorState } from '../state/emulator-state';
import { verifyBearerToken, type AccessTokenClaims } from '../identity/bearer-token';
import { GRAPH_RESOURCE } from '../identity/scopes';
import { pairwiseSubject } from '../identity/token-issuer';
import { sendGraphError } from './graph-error';

// Any of these in `scp` lets a delegated token read /me and /organization.
const SIGN_IN_SCOPES = ['User.Read', 'User.Read.All', 'Directory.Read.All', 'Organization.Read.All', 'openid', 'profile'];

// The slice of Microsoft Graph the app's sign-in needs; later issues add subscribedSkus, GDAP...
export function registerGraphRoutes(router: Router, state: EmulatorState): void {
  router.get('/v1.0/me', (req, res) => {
    const claims = authenticate(state, req, res);
    const user = claims && state.findUserById(claims.oid);
    if (!claims) return;
    if (!user) return sendGraphError(state, req, res, 404, 'Request_ResourceNotFound', `Resource '${claims.oid}' does not exist or one of its queried reference-property objects are not present.`);
    res.json({
      '@odata.context': `${state.baseUrl}/v1.0/$metadata#users/$entity`,
      businessPhones: [],
      displayName: user.displayName,
      givenName: user.givenName,
      jobTitle: null,
      mail: user.userPrincipalName,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: user.surname,
      userPrincipalName: user.userPrincipalName,
      id: user.id,
    });
  });

  router.get('/v1.0/organization', (req, res) => {
    const claims = authenticate(state, req, res);
    if (!claims) return;
    const tenant = state.findTenantById(claims.tid);
    res.json({
      '@odata.context': `${state.baseUrl}/v1.0/$metadata#organization`,
      value: tenant
        ? [
            {
              id: tenant.id,
              deletedDateTime: null,
              businessPhones: [],
              city: null,
              country: null,
              countryLetterCode: 'US',
              createdDateTime: '2020-01-01T00:00:00Z',
              defaultUsageLocation: null,
              displayName: tenant.displayName,
              isMultipleDataLocationsForServicesEnabled: null,
              marketingNotificationEmails: [],
              onPremisesLastSyncDateTime: null,
              onPremisesSyncEnabled: null,
              // Partner type signals (direct / indirect) arrive with the Partner Center scenario.
              partnerTenantType: tenant.kind === 'partner' ? 'resellerPartnerDelegatedAdmin' : null,
              postalCode: null,
              preferredLanguage: 'en',
              securityComplianceNotificationMails: [],
              securityComplianceNotificationPhones: [],
              state: null,
              street: null,
              technicalNotificationMails: [],
              tenantType: 'AAD',
              assignedPlans: [],
              privacyProfile: null,
              provisionedPlans: [],
              verifiedDomains: [
                { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: tenant.defaultDomain, type: 'Managed' },
              ],
            },
          ]
        : [],
    });
  });

  // The discovery document's userinfo_endpoint (Microsoft hosts it on Graph too).
  router.get('/oidc/userinfo', (req, res) => {
    const claims = authenticate(state, req, res, ['openid']);
    const user = claims && state.findUserById(claims.oid);
    if (!claims) return;
    if (!user) return sendGraphError(state, req, res, 404, 'Request_ResourceNotFound', 'User not found.');
    res.json({
      sub: pairwiseSubject(user.id, claims.appid),
      name: user.displayName,
      family_name: user.surname,
      given_name: user.givenName,
      email: user.userPrincipalName,
    });
  });
}

function authenticate(state: EmulatorState, req: Request, res: Response, acceptedScopes = SIGN_IN_SCOPES): AccessTokenClaims | undefined {
  const check = verifyBearerToken(state, req.get('authorization'), GRAPH_RESOURCE);
  if (!check.ok) {
    sendGraphError(state, req, res, 401, 'InvalidAuthenticationToken', check.message);
    return undefined;
  }
  if (!check.scopes.some((scope) => acceptedScopes.includes(scope))) {
    sendGraphError(state, req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    return undefined;
  }
  return check.claims;
}
