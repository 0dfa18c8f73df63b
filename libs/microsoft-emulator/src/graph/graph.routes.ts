import type { RouteRegistrar } from '../http/route-hooks';
import { pairwiseSubject } from '../identity/token-issuer';
import type { Tenant } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { registerDirectoryRoutes } from './directory.routes';
import { registerGdapRoutes } from './gdap.routes';
import { graphCallerOf, graphGate, SCOPES } from './graph-auth';
import { sendGraphError } from './graph-error';
import { registerLicensingRoutes } from './licensing.routes';

// graph.microsoft.com/v1.0: the token's `tid` decides which directory is read.
export function registerGraphRoutes(router: RouteRegistrar, state: EmulatorState): void {
  router.get('/v1.0/me', graphGate(state, { scopes: SCOPES.signIn, throttleGroup: 'users', directoryRead: false }), (req, res) => {
    const { claims, user } = graphCallerOf(res);
    if (!user)
      return sendGraphError(
        state,
        req,
        res,
        404,
        'Request_ResourceNotFound',
        `Resource '${claims.oid}' does not exist or one of its queried reference-property objects are not present.`,
      );
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

  router.get(
    '/v1.0/organization',
    graphGate(state, { scopes: SCOPES.signIn, throttleGroup: 'organization', directoryRead: true }),
    (_req, res) => {
      const tenant = state.world.tenant(graphCallerOf(res).tenantId);
      res.json({
        '@odata.context': `${state.baseUrl}/v1.0/$metadata#organization`,
        value: tenant ? [organizationResource(tenant, state.world.customer(tenant.id)?.customDomains ?? [])] : [],
      });
    },
  );

  // The discovery document's userinfo_endpoint (Microsoft hosts it on Graph too).
  router.get('/oidc/userinfo', graphGate(state, { scopes: ['openid'], throttleGroup: 'users', directoryRead: false }), (req, res) => {
    const { claims, user } = graphCallerOf(res);
    if (!user) return sendGraphError(state, req, res, 404, 'Request_ResourceNotFound', 'User not found.');
    res.json({
      sub: pairwiseSubject(user.id, claims.appid),
      name: user.displayName,
      family_name: user.surname,
      given_name: user.givenName,
      email: user.userPrincipalName,
    });
  });

  registerLicensingRoutes(router, state);
  registerDirectoryRoutes(router, state);
  registerGdapRoutes(router, state);
}

// organization.md: partnerTenantType tells the CSP tier. Direct bill = resellerPartnerDelegatedAdmin,
// indirect reseller = valueAddedResellerPartnerDelegatedAdmin ("Tier 2 partners..."); an indirect provider is
// what Microsoft calls a breadth partner (distributor), with delegated admin: breadthPartnerDelegatedAdmin.
const PARTNER_TENANT_TYPES: Record<NonNullable<Tenant['partnerType']>, string> = {
  direct: 'resellerPartnerDelegatedAdmin',
  indirectReseller: 'valueAddedResellerPartnerDelegatedAdmin',
  indirectProvider: 'breadthPartnerDelegatedAdmin',
};

function organizationResource(tenant: Tenant, customDomains: readonly string[]): Record<string, unknown> {
  const address = tenant.address;
  return {
    id: tenant.id,
    deletedDateTime: null,
    businessPhones: address ? [address.phoneNumber] : [],
    city: address?.city ?? null,
    country: null,
    countryLetterCode: address?.country ?? 'US',
    createdDateTime: '2020-01-01T00:00:00Z',
    defaultUsageLocation: null,
    displayName: tenant.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    partnerTenantType: tenant.kind === 'partner' ? PARTNER_TENANT_TYPES[tenant.partnerType ?? 'direct'] : null,
    postalCode: address?.postalCode ?? null,
    preferredLanguage: 'en',
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: address?.region ?? null,
    street: address?.addressLine1 ?? null,
    technicalNotificationMails: [],
    tenantType: 'AAD',
    assignedPlans: [],
    privacyProfile: null,
    provisionedPlans: [],
    verifiedDomains: [
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: tenant.defaultDomain, type: 'Managed' },
      ...customDomains.map((name) => ({
        capabilities: 'Email, OfficeCommunicationsOnline',
        isDefault: false,
        isInitial: false,
        name,
        type: 'Managed',
      })),
    ],
  };
}
