import type { RouteRegistrar } from '../http/route-hooks';
import { ROLE_IDS } from '../scenario/sku-catalog';
import type { SecurityGroup, User } from '../scenario/scenario';
import { guidFromName } from '../scenario/deterministic';
import type { EmulatorState } from '../state/emulator-state';
import { graphCallerOf, graphGate, SCOPES } from './graph-auth';
import { sendGraphError } from './graph-error';
import { collectionPage, parsePaging } from './odata';

const MAX_TOP = 999;

// The signed-in user's groups (and directory roles, which memberOf lists too: clients filter by
// @odata.type). Groups are not nested in the emulator, so memberOf and transitiveMemberOf agree.
export function registerDirectoryRoutes(router: RouteRegistrar, state: EmulatorState): void {
  for (const path of ['/v1.0/me/memberOf', '/v1.0/me/transitiveMemberOf']) {
    router.get(path, graphGate(state, { scopes: SCOPES.memberOf, throttleGroup: 'memberOf', directoryRead: false }), (req, res) => {
      const { user, foreign } = graphCallerOf(res);
      const paging = parsePaging(req, 100, MAX_TOP);
      if (!paging.ok) return sendGraphError(state, req, res, 400, 'Request_BadRequest', paging.message);
      // A partner user seen from a customer directory is a foreign principal with no memberships there.
      const objects = user && !foreign ? membershipsOf(state, user) : [];
      res.json(collectionPage(state, req, `${state.baseUrl}/v1.0/$metadata#directoryObjects`, objects, paging.value, (item) => item));
    });
  }
}

function membershipsOf(state: EmulatorState, user: User): Record<string, unknown>[] {
  const groups = state.world.groupsOf(user.id).map(groupResource);
  const roles = user.roles.includes('GlobalAdministrator')
    ? [
        {
          '@odata.type': '#microsoft.graph.directoryRole',
          id: guidFromName(`directory-role:${user.tenantId}:global-administrator`),
          deletedDateTime: null,
          description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
          displayName: 'Global Administrator',
          roleTemplateId: ROLE_IDS.globalAdministrator,
        },
      ]
    : [];
  return [...groups, ...roles];
}

function groupResource(group: SecurityGroup): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: group.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: '2021-06-01T09:00:00Z',
    description: group.description ?? null,
    displayName: group.displayName,
    groupTypes: [],
    isAssignableToRole: null,
    mail: null,
    mailEnabled: false,
    mailNickname: group.displayName.replace(/[^A-Za-z0-9]/g, ''),
    securityEnabled: true,
    visibility: null,
  };
}
