import type { Request, RequestHandler, Response } from 'express';
import { verifyBearerToken, type AccessTokenClaims } from '../identity/bearer-token';
import { PARTNER_CENTER_RESOURCE } from '../identity/scopes';
import type { Tenant, User } from '../scenario/scenario';
import { delayThen } from '../http/realism';
import type { EmulatorState } from '../state/emulator-state';
import {
  applyPartnerCenterHeaders,
  FAULTS,
  sendApiFault,
  sendPartnerCenterThrottled,
  sendPartnerCenterThrottledWithoutWait,
} from './api-fault';

export interface PartnerCaller {
  claims: AccessTokenClaims;
  user: User;
  partner: Tenant;
}

export interface GateOptions {
  throttleGroup: string; // requests are limited per partner tenant and group
  requiresAdminAgent: boolean;
  allowsIndirectReseller: boolean;
}

// Partner Center's checks, in the order the service applies them: a valid token for
// https://api.partnercenter.microsoft.com, MFA in `amr`, the rate limit, then what the partner and the user
// may do.
export function partnerCenterGate(state: EmulatorState, options: GateOptions): RequestHandler {
  return (req, res, next) => {
    applyPartnerCenterHeaders(req, res);
    const check = verifyBearerToken(state, req.get('authorization'), PARTNER_CENTER_RESOURCE);
    if (!check.ok) {
      const fault = check.problem === 'missing' ? FAULTS.tokenMissing : FAULTS.tokenInvalid(check.message);
      return sendApiFault(req, res, fault, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${check.message}"` });
    }
    const { claims } = check;
    if (!Array.isArray(claims.amr) || !claims.amr.includes('mfa')) return refuseWithoutMfa(state, req, res);
    const user = state.world.user(claims.oid);
    const partner = state.world.tenant(claims.tid);
    if (!user || !partner || partner.kind !== 'partner') return sendApiFault(req, res, FAULTS.notAPartner);

    if (state.realism) {
      // The benchmarks' Microsoft: per partner, and per partner + customer on a customer's routes (FACTS §2.12).
      const customerId = typeof req.params.customerId === 'string' ? req.params.customerId : undefined;
      const outcome = state.realism.partnerCenter(partner.id, customerId, state.now());
      if (!outcome.ok) {
        // Partner Center's documented 429 always names its wait; a refusal for concurrency has none to name (assumed).
        return delayThen(state.realism, res, undefined, () =>
          outcome.retryAfterSeconds !== undefined
            ? sendPartnerCenterThrottled(req, res, outcome.retryAfterSeconds)
            : sendPartnerCenterThrottledWithoutWait(req, res),
        );
      }
      return delayThen(state.realism, res, outcome.release, () => admit(req, res, next, options, claims, user, partner));
    }
    const decision = state.throttle.take(`pc|${partner.id}|${options.throttleGroup}`, state.settings.partnerCenter.throttle, state.now());
    if (!decision.ok) return sendPartnerCenterThrottled(req, res, decision.retryAfterSeconds);
    admit(req, res, next, options, claims, user, partner);
  };
}

// What the partner and the user may do, once the request is through the rate limit.
function admit(
  req: Request,
  res: Response,
  next: () => void,
  options: GateOptions,
  claims: AccessTokenClaims,
  user: User,
  partner: Tenant,
): void {
  if (partner.partnerType === 'indirectReseller' && !options.allowsIndirectReseller) return sendApiFault(req, res, FAULTS.indirectReseller);
  if (options.requiresAdminAgent && !user.roles.some((role) => role === 'AdminAgent' || role === 'GlobalAdministrator')) {
    return sendApiFault(req, res, FAULTS.roleDenied);
  }
  const caller: PartnerCaller = { claims, user, partner };
  res.locals.caller = caller;
  next();
}

export function callerOf(res: Response): PartnerCaller {
  return res.locals.caller as PartnerCaller;
}

function refuseWithoutMfa(state: EmulatorState, req: Request, res: Response): void {
  if (state.settings.partnerCenter.mfaRefusal === 'legacy') {
    // partner-security-requirements-mandating-mfa.md: "HTTP/1.1 401 Unauthorized - MFA required" and
    // WWW-Authenticate: Bearer error="invalid_token", no body.
    res.statusMessage = 'Unauthorized - MFA required';
    res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').end();
    return;
  }
  sendApiFault(req, res, FAULTS.mfaRequired, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="MFA required"' });
}

// GDAP for Partner Center calls that act in the customer's directory: an active relationship between the caller's
// partner tenant and the customer whose active access assignments give one of the user's security groups one of
// `roles` (GDAP roles are held through groups, never by users directly).
export function gdapGrantsRole(
  state: EmulatorState,
  user: User,
  partnerTenantId: string,
  customerTenantId: string,
  roles: readonly string[],
): boolean {
  const groups = new Set(state.world.groupsOf(user.id).map((group) => group.id));
  return state.world
    .activeRelationships(partnerTenantId, customerTenantId)
    .some((relationship) =>
      relationship.accessAssignments.some(
        (assignment) =>
          assignment.status === 'active' &&
          groups.has(assignment.securityGroupId) &&
          assignment.roleDefinitionIds.some((role) => roles.includes(role)),
      ),
    );
}
