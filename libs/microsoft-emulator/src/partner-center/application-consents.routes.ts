import express, { type Request, type Response } from 'express';
import { graphGdapRoles } from '../graph/graph-auth';
import type { RouteRegistrar } from '../http/route-hooks';
import { applicationConsentOf, provisionApp, removeApp } from '../scenario/application-consents';
import type { ApplicationConsent, Customer } from '../scenario/scenario';
import { ROLE_IDS } from '../scenario/sku-catalog';
import type { EmulatorState } from '../state/emulator-state';
import { FAULTS, sendApiFault, type ApiFault } from './api-fault';
import { customerOfCaller } from './customers.routes';
import { callerOf, partnerCenterGate, type PartnerCaller } from './partner-center-auth';
import { collection } from './resources';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Roles that may provision an app in a customer through GDAP: Application Administrator "or higher" (FACTS
// §7a.2). Cloud Application Administrator is not enough (it cannot grant consent for Microsoft Graph), an
// assumption the docs do not spell out for this API.
const PROVISIONING_ROLES: readonly string[] = [ROLE_IDS.applicationAdministrator, ROLE_IDS.globalAdministrator];

// The exact faults for these cases are not published. Modelled as ApiFaults: 403 when the calling user's groups
// hold no Application Administrator in the customer (code 2032 "access denied" family, as for a missing Partner
// Center role), 409 for an app already consented (CIPP Set-CIPPCPVConsent.ps1 treats "409 (Conflict)" as "already
// added"), 404 when deleting a consent that does not exist.
const CONSENT_FAULTS = {
  missingGdapRole: (customerId: string): ApiFault => ({
    status: 403,
    code: 2032,
    description: `Access denied. The signed-in user does not hold the Application Administrator role in customer ${customerId} through a granular delegated admin (GDAP) relationship.`,
  }),
  alreadyExists: (applicationId: string): ApiFault => ({
    status: 409,
    code: 409,
    description: `An application consent already exists for application ${applicationId} in this customer.`,
  }),
  notFound: (applicationId: string): ApiFault => ({
    status: 404,
    code: 1000,
    description: `No application consent was found for application ${applicationId}.`,
  }),
  unknownApplication: (applicationId: string): ApiFault =>
    FAULTS.invalidInput(`Application ${applicationId} was not found: it must be a multi-tenant app registered in the partner's directory.`),
};

// control-panel-vendor-apis.md: POST /v1/customers/{customer_id}/applicationconsents (200/201), the list, and
// DELETE …/applicationconsents/{applicationId} (remove consent). Bodies are the SDK's ApplicationConsent
// {applicationId, displayName, applicationGrants[{enterpriseApplicationId, scope}]}.
export function registerApplicationConsentRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const gate = partnerCenterGate(state, { throttleGroup: 'applicationconsents', requiresAdminAgent: true, allowsIndirectReseller: false });
  const base = '/v1/customers/:customerId/applicationconsents';

  // Listing needs no GDAP role in the emulator (undocumented; reading does not change the customer).
  router.get(base, gate, (req, res) => {
    const customer = customerOfCaller(state, req, res, callerOf(res));
    if (!customer) return;
    res.json(collection((customer.applicationConsents ?? []).map(consentResource)));
  });

  router.post(base, express.json({ type: () => true }), gate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerWithProvisioningRole(state, req, res, caller);
    if (!customer) return;
    const parsed = parseConsent(req.body);
    if (typeof parsed === 'string') return sendApiFault(req, res, FAULTS.invalidInput(parsed));
    const app = state.findApp(parsed.applicationId);
    if (!app) return sendApiFault(req, res, CONSENT_FAULTS.unknownApplication(parsed.applicationId));
    if (applicationConsentOf(customer, app.clientId)) return sendApiFault(req, res, CONSENT_FAULTS.alreadyExists(app.clientId));
    const consent = provisionApp(customer, {
      applicationId: app.clientId,
      displayName: parsed.displayName ?? app.displayName,
      applicationGrants: parsed.applicationGrants,
      createdDateTime: new Date(state.now()).toISOString(),
    });
    state.scenarioChanged();
    res.status(201).json(consentResource(consent));
  });

  router.delete(`${base}/:applicationId`, gate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerWithProvisioningRole(state, req, res, caller);
    if (!customer) return;
    const applicationId = String(req.params.applicationId);
    if (!removeApp(customer, applicationId)) return sendApiFault(req, res, CONSENT_FAULTS.notFound(applicationId));
    state.scenarioChanged();
    res.status(204).end();
  });
}

// The partner sells to the customer (customerOfCaller), and the calling user's security groups hold Application
// Administrator (or Global Administrator) there through an active GDAP relationship and access assignment.
function customerWithProvisioningRole(state: EmulatorState, req: Request, res: Response, caller: PartnerCaller): Customer | undefined {
  const customer = customerOfCaller(state, req, res, caller);
  if (!customer) return undefined;
  if (!graphGdapRoles(state, caller.user, customer.id).some((role) => PROVISIONING_ROLES.includes(role))) {
    sendApiFault(req, res, CONSENT_FAULTS.missingGdapRole(customer.id));
    return undefined;
  }
  return customer;
}

function parseConsent(
  body: unknown,
): (Pick<ApplicationConsent, 'applicationId' | 'applicationGrants'> & { displayName?: string }) | string {
  const value = (body ?? {}) as { applicationId?: unknown; applicationGrants?: unknown; displayName?: unknown };
  if (typeof value.applicationId !== 'string' || !GUID.test(value.applicationId))
    return '"applicationId" must be the application (client) id, a GUID.';
  if (!Array.isArray(value.applicationGrants) || value.applicationGrants.length === 0)
    return '"applicationGrants" must list at least one grant.';
  const grants: ApplicationConsent['applicationGrants'] = [];
  for (const grant of value.applicationGrants as { enterpriseApplicationId?: unknown; scope?: unknown }[]) {
    if (
      typeof grant?.enterpriseApplicationId !== 'string' ||
      !GUID.test(grant.enterpriseApplicationId) ||
      typeof grant.scope !== 'string' ||
      grant.scope.trim() === ''
    ) {
      return 'Each application grant needs "enterpriseApplicationId" (a GUID) and "scope" (comma-separated permissions).';
    }
    grants.push({ enterpriseApplicationId: grant.enterpriseApplicationId.toLowerCase(), scope: grant.scope });
  }
  return {
    applicationId: value.applicationId.toLowerCase(),
    applicationGrants: grants,
    ...(typeof value.displayName === 'string' ? { displayName: value.displayName } : {}),
  };
}

function consentResource(consent: ApplicationConsent): Record<string, unknown> {
  return {
    applicationId: consent.applicationId,
    displayName: consent.displayName,
    applicationGrants: consent.applicationGrants.map((grant) => ({
      enterpriseApplicationId: grant.enterpriseApplicationId,
      scope: grant.scope,
    })),
  };
}
