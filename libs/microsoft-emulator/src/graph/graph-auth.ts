import type { Request, RequestHandler, Response } from 'express';
import { delayThen, graphRequestCost } from '../http/realism';
import { verifyBearerToken, type AccessTokenClaims } from '../identity/bearer-token';
import { GRAPH_RESOURCE } from '../identity/scopes';
import type { User } from '../scenario/scenario';
import { DIRECTORY_READ_ROLES } from '../scenario/sku-catalog';
import type { EmulatorState } from '../state/emulator-state';
import { sendGraphError, sendGraphThrottled } from './graph-error';

// Delegated scopes that let a token call an endpoint (Graph's permission tables, least privileged first).
export const SCOPES = {
  signIn: ['User.Read', 'User.Read.All', 'Directory.Read.All', 'Organization.Read.All', 'openid', 'profile'],
  organizationRead: ['Organization.Read.All', 'Directory.Read.All'],
  memberOf: ['User.Read', 'User.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'],
  delegatedAdmin: ['DelegatedAdminRelationship.Read.All', 'DelegatedAdminRelationship.ReadWrite.All'],
} as const;

export interface GraphCaller {
  claims: AccessTokenClaims;
  user?: User;
  tenantId: string; // the directory the token is for (`tid`): the one being read
  foreign: boolean; // a partner user in a customer directory (GDAP)
}

export interface GraphGateOptions {
  scopes: readonly string[];
  throttleGroup: string;
  // Reading a customer directory through GDAP needs a directory-reading role (Global Reader or stronger)
  // in an active access assignment of one of the user's groups.
  directoryRead: boolean;
}

export function graphGate(state: EmulatorState, options: GraphGateOptions): RequestHandler {
  return (req, res, next) => {
    const check = verifyBearerToken(state, req.get('authorization'), GRAPH_RESOURCE);
    if (!check.ok) return sendGraphError(state, req, res, 401, 'InvalidAuthenticationToken', check.message);
    if (!check.scopes.some((scope) => options.scopes.includes(scope))) {
      return sendGraphError(state, req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    const { claims } = check;
    if (state.realism) {
      // The benchmarks' Microsoft: a resource-unit token bucket per app + tenant and per app (FACTS §3.6).
      const realism = state.realism;
      const cost = graphRequestCost(options.throttleGroup, req.query as Record<string, unknown>);
      const outcome = realism.graph(claims.appid, claims.tid, state.world.usersIn(claims.tid), cost, state.now());
      if (!outcome.ok) {
        return delayThen(realism, res, undefined, () => {
          if (outcome.scope) res.set('x-ms-throttle-scope', outcome.scope);
          if (outcome.information) res.set('x-ms-throttle-information', outcome.information);
          sendGraphThrottled(state, req, res, outcome.retryAfterSeconds);
        });
      }
      res.set('x-ms-resource-unit', String(cost));
      if (outcome.limitPercentage !== undefined && outcome.limitPercentage >= 0.8)
        res.set('x-ms-throttle-limit-percentage', outcome.limitPercentage.toFixed(1));
      return delayThen(realism, res, outcome.release, () => admitGraph(state, req, res, next, options, claims));
    }
    const decision = state.throttle.take(`graph|${claims.tid}|${options.throttleGroup}`, state.settings.graph.throttle, state.now());
    if (!decision.ok) {
      // Deterministic for tests: every other throttled response comes without Retry-After.
      state.graphThrottledResponses += 1;
      return sendGraphThrottled(state, req, res, state.graphThrottledResponses % 2 === 1 ? decision.retryAfterSeconds : undefined);
    }
    admitGraph(state, req, res, next, options, claims);
  };
}

// GDAP's directory check, once the request is through the rate limit.
function admitGraph(
  state: EmulatorState,
  req: Request,
  res: Response,
  next: () => void,
  options: GraphGateOptions,
  claims: AccessTokenClaims,
): void {
  const user = state.world.user(claims.oid);
  const foreign = !!user && user.tenantId.toLowerCase() !== claims.tid.toLowerCase();
  if (foreign && options.directoryRead && !(user && gdapAllowsDirectoryRead(state, user, claims.tid))) {
    return sendGraphError(state, req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const caller: GraphCaller = { claims, user, tenantId: claims.tid, foreign };
  res.locals.graphCaller = caller;
  next();
}

export function graphCallerOf(res: Response): GraphCaller {
  return res.locals.graphCaller as GraphCaller;
}

// GDAP: an active relationship with the customer whose active access assignments give one of the user's
// security groups a role that can read the directory.
export function gdapAllowsDirectoryRead(state: EmulatorState, user: User, customerTenantId: string): boolean {
  const groups = new Set(state.world.groupsOf(user.id).map((group) => group.id));
  return state.world
    .activeRelationships(user.tenantId, customerTenantId)
    .some((relationship) =>
      relationship.accessAssignments.some(
        (assignment) =>
          assignment.status === 'active' &&
          groups.has(assignment.securityGroupId) &&
          assignment.roleDefinitionIds.some((role) => DIRECTORY_READ_ROLES.includes(role)),
      ),
    );
}

// Every role the user holds in a customer directory through GDAP: active relationships with the customer, active
// access assignments to one of the user's security groups (an assignment grants only roles its relationship has).
export function graphGdapRoles(state: EmulatorState, user: User, customerTenantId: string): string[] {
  const groups = new Set(state.world.groupsOf(user.id).map((group) => group.id));
  const roles = new Set<string>();
  for (const relationship of state.world.activeRelationships(user.tenantId, customerTenantId)) {
    for (const assignment of relationship.accessAssignments) {
      if (assignment.status !== 'active' || !groups.has(assignment.securityGroupId)) continue;
      for (const role of assignment.roleDefinitionIds) if (relationship.roleDefinitionIds.includes(role)) roles.add(role);
    }
  }
  return [...roles];
}
